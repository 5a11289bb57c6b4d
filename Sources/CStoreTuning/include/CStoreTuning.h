#ifndef CSTORETUNING_H
#define CSTORETUNING_H

/// Process-wide settings for a store process, in C because Swift cannot call the variadic
/// sqlite3_config. Run once, before the first SQLite connection opens; returns an SQLite code.
int ecrm_store_tuning(void);

/// Starts the kernel writing the file's dirty pages to disk, without waiting (sync_file_range,
/// which Swift's Glibc module does not expose). A bulk load calls it between its phases: the
/// commit's fsync then finds most of the file already on disk instead of writing it all while the
/// import waits. Returns 0, or -1 with errno set.
int ecrm_start_writeback(const char *path);

/// Asks the CPU to start loading the cache line at p (Swift has no prefetch): the bulk load looks
/// up a batch of buyers, each a cache miss in a table of tens of MB, and prefetching a few rows
/// ahead overlaps those misses instead of waiting for each in turn.
static inline void ecrm_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Lowers the calling thread's scheduling priority to `nice` (setpriority on its thread id, which
/// Swift cannot name: gettid is not exposed). For work that should only use a core the others
/// leave idle. Returns 0, or -1 with errno set.
int ecrm_lower_thread_priority(int nice);

#endif
