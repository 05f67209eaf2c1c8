// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Imported only by NASLib/Tensor/BLAS.swift.
#include <cblas.h>
