// ZeroMQ (Debian: libzmq3-dev), for the Jupyter kernel. Imported only by App/Kernel/ZMQSocket.swift.
#include <zmq.h>
