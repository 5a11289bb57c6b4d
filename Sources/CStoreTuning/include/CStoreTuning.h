#ifndef CSTORETUNING_H
#define CSTORETUNING_H

/// Process-wide settings for a store process, in C because Swift cannot call the variadic
/// sqlite3_config. Run once, before the first SQLite connection opens; returns an SQLite code.
int ecrm_store_tuning(void);

#endif
