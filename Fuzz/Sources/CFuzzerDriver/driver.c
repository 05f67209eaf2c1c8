// The fuzz targets' main: LLVMFuzzerRunDriver comes from libFuzzer (-sanitize=fuzzer), LLVMFuzzerTestOneInput from
// the target (a Swift function exported with @_cdecl).
#include "fuzzer_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int brpsh_fuzz_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
