// libFuzzer's entry for programs with their own main (compiler-rt's FuzzerInterface.h declares it the same way),
// and the main every fuzz target calls: it runs libFuzzer's driver on the target's LLVMFuzzerTestOneInput.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int brpsh_fuzz_main(int argc, char **argv);
