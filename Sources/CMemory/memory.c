#include "CMemory.h"

#include <stdlib.h> /* defines __GLIBC__ under glibc */

#if defined(__GLIBC__)
#include <malloc.h>

int brpsh_keep_freed_memory(long mmap_threshold, long trim_threshold) {
    int a = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    int b = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    return a == 1 && b == 1;
}
#else
int brpsh_keep_freed_memory(long mmap_threshold, long trim_threshold) {
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
}
#endif
