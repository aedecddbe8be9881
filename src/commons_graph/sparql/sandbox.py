"""Taking the network away from a query worker: a seccomp filter installed at its start.

pyoxigraph evaluates `SERVICE` by opening an HTTP connection, and its `Store.query` has no option
to turn that off. So the processes that evaluate public queries lose the system calls that open
or reach a socket: `socket()` (every address family, so no TCP, UDP, Unix socket or netlink),
`connect`, `bind`, `listen`, `accept` and io_uring (which can do the same without those calls)
fail with EPERM from then on, for the process and everything it could start. Already-open
descriptors keep working: the pipe to the server was made before.

The filter is a Linux seccomp-BPF program built by the system's libseccomp (`libseccomp.so.2`,
loaded with ctypes: no compiler, no new Python package). It needs no privilege: libseccomp sets
`no_new_privs` first, as the kernel requires of an unprivileged process. If anything is missing
(no libseccomp, a kernel without seccomp, a refusal), `deny_network` raises: the worker then
refuses to serve and the server refuses to start (fail closed).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno

from commons_graph.errors import CommonsGraphError

# The calls that open, name or reach a socket, and io_uring (its SOCKET/CONNECT operations
# would bypass the others). Names unknown on this architecture are skipped.
DENIED_SYSCALLS = (
    "socket",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
)

_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_ACT_ERRNO = 0x00050000


class SandboxError(CommonsGraphError):
    """The network could not be taken away from a query worker."""


def _libseccomp() -> ctypes.CDLL:
    """The system's libseccomp, with the prototypes of the functions used here."""
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError as error:
        raise SandboxError("sparql.error.no_libseccomp", detail=str(error)) from None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    # seccomp_rule_add is variadic; with no argument comparisons its fixed part is all it reads.
    lib.seccomp_rule_add.restype = ctypes.c_int
    lib.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
    lib.seccomp_load.restype = ctypes.c_int
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.restype = None
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def deny_network() -> None:
    """Make every later socket call of this process (and its children) fail with EPERM."""
    lib = _libseccomp()
    context = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not context:
        raise SandboxError("sparql.error.seccomp_init")
    try:
        denied = 0
        for name in DENIED_SYSCALLS:
            number = lib.seccomp_syscall_resolve_name(name.encode())
            if number < 0:
                continue  # not a call on this architecture
            code = lib.seccomp_rule_add(context, _SCMP_ACT_ERRNO | errno.EPERM, number, 0)
            if code != 0:
                raise SandboxError("sparql.error.seccomp_rule", name=name, code=-code)
            denied += 1
        if denied == 0:
            raise SandboxError("sparql.error.no_socket_calls")
        code = lib.seccomp_load(context)
        if code != 0:
            reason = errno.errorcode.get(-code, str(-code))
            raise SandboxError("sparql.error.seccomp_refused", reason=reason)
    finally:
        lib.seccomp_release(context)


def network_denied() -> bool:
    """Whether this process is unable to open a socket (the sandbox holds)."""
    import socket

    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return True
    probe.close()
    return False
