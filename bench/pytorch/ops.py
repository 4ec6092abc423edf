"""Per-op micro benchmarks: a case-by-case mirror of OpBenchmarks.java (same names, shapes and protocol).

"fwd" runs under torch.no_grad(); "fwd+bwd" records, then back-propagates a fixed random output gradient into
fresh leaf gradients (grad = None first), as the Java side does.
"""
import torch
import torch.nn.functional as F

import harness

SIZES = [(2048, 64), (4096, 256)]
GEMMS = [(2048, 64, 64), (4096, 256, 1024)]


def leaf(*shape):
    return torch.randn(*shape).requires_grad_(True)


def forward(h, name, size, flops, f):
    def body():
        with torch.no_grad():
            f()
    h.measure(name, size, flops, harness.MICRO, body)


def forward_backward(h, name, size, flops, f, leaves):
    grad_out = torch.randn_like(f().detach())

    def body():
        for t in leaves:
            t.grad = None
        y = f()
        y.backward(grad_out)
    h.measure(name, size, flops, harness.MICRO, body)


def unary_case(h, name, size, f, x, *others):
    forward(h, name + " fwd", size, 0, lambda: f(x))
    forward_backward(h, name + " fwd+bwd", size, 0, lambda: f(x), (x,) + others)


def run_all(h):
    torch.manual_seed(1234)
    for rows, cols in SIZES:
        size = "%dx%d" % (rows, cols)
        a, b, row = leaf(rows, cols), leaf(rows, cols), leaf(cols)
        gamma, beta = leaf(cols), leaf(cols)
        unary_case(h, "add", size, lambda x: x + b, a, b)
        unary_case(h, "broadcast mul", size, lambda x: x * row, a, row)
        unary_case(h, "exp", size, torch.exp, a)
        unary_case(h, "gelu", size, lambda x: F.gelu(x, approximate="tanh"), a)
        unary_case(h, "softmax", size, lambda x: torch.softmax(x, -1), a)
        unary_case(h, "layer norm", size, lambda x: F.layer_norm(x, (cols,), gamma, beta, 1e-5), a, gamma, beta)
    for m, k, n in GEMMS:
        size = "%dx%dx%d" % (m, k, n)
        a, w = leaf(m, k), leaf(k, n)
        flops = 2.0 * m * k * n
        forward(h, "matmul fwd", size, flops, lambda: a @ w)
        forward_backward(h, "matmul fwd+bwd", size, 3 * flops, lambda: a @ w, (a, w))
