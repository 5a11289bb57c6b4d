#ifndef CSQLITECONFIG_H
#define CSQLITECONFIG_H

/// Process-wide SQLite settings. sqlite3_config is variadic, which Swift cannot call: this C shim
/// does. Must run before the first connection opens (sqlite3_initialize); returns an SQLite code.
int ecrm_sqlite_configure(void);

#endif
