#ifndef BRPSH_CMEMORY_H
#define BRPSH_CMEMORY_H

/// Sets glibc's malloc to keep freed memory for reuse: blocks up to `mmap_threshold` bytes come from the heap (the
/// threshold fixed, not adjusted as blocks are freed), and free memory at the heap's top is returned to the system
/// only beyond `trim_threshold` bytes. Returns 1 when both settings were accepted, 0 otherwise (and elsewhere than
/// glibc, where it does nothing).
int brpsh_keep_freed_memory(long mmap_threshold, long trim_threshold);

#endif
