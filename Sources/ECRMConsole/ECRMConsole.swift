// The console screens; filled in by the console-shell work.
