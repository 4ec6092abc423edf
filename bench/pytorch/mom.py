"""The MoM suite of bench/run, mirroring bench/src/main/java/org/moelab/bench/MomBenchmarks.java, and a plain
PyTorch reference of org.moelab.models.MoM (the recurrent form; no fla/Triton kernels).

mom-layer: one MoM layer (Gated DeltaNet memories), B=8, T=128, d=128, 2 heads of d_k = d_v = 32, M=4 memories,
  top-2, shared memory; forward + backward of an MSE loss.
mom-decode: one decoding step of the same layer (constant-size state).

Plug-in for bench/run: in bench.py, `elif suite == "mom-layer": import mom; mom.run_layer(h, info)` and
`elif suite == "mom-decode": import mom; mom.run_decode(h, info)`; standalone: `python3 mom.py` runs both (quick).

The layer follows fla's MomAttention and the notes (A3-A8): router softmax over M -> top-k -> renormalise; each
memory runs over the tokens routed to it (stable time order per batch row, padded at the end), with the shared
q projection and the shared short convs (kernel 4, SiLU) over that subsequence, per-memory k/v/beta/decay
projections, L2-normalised q/k, gated delta rule with read after write; the shared memory runs over the whole
sequence and is added with weight 1; output = W_o [RMSNorm_head(o) * silu(x W_gate)].

`python3 mom.py --check FILE` compares this reference with the Java layer on the weights, input and output the
Java side wrote (see MomBenchmarks.writeCheck).
"""
import argparse
import json
import math

import torch
import torch.nn.functional as F

import harness

B, T, D, H, DK, DV, M, K = 8, 128, 128, 2, 32, 32, 4, 2


def new_params(d=D, h=H, dk=DK, dv=DV, m=M, shared=True, seed=3):
    g = torch.Generator().manual_seed(seed)

    def lin(o, i):
        b = 1 / math.sqrt(i)
        return (torch.rand(o, i, generator=g) * 2 - 1) * b

    def writes():
        return {"k": lin(h * dk, d), "v": lin(h * dv, d), "beta": lin(h, d), "decay": lin(h, d)}

    p = {"router": lin(m, d), "q": lin(h * dk, d), "convQ": (torch.rand(h * dk, 4, generator=g) - 0.5),
         "convK": (torch.rand(h * dk, 4, generator=g) - 0.5), "convV": (torch.rand(h * dv, 4, generator=g) - 0.5),
         "A_log": torch.log(torch.rand(h, generator=g) * 16), "dt_bias": torch.full((h,), -4.0),
         "memories": [writes() for _ in range(m)], "shared": writes() if shared else None,
         "norm": torch.ones(dv), "gate": lin(h * dv, d), "out": lin(d, h * dv)}
    return p


def all_tensors(p):
    out = [v for k, v in p.items() if isinstance(v, torch.Tensor)]
    for w in p["memories"] + ([p["shared"]] if p["shared"] is not None else []):
        out += list(w.values())
    return out


def short_conv(x, w):
    """Depthwise causal conv (kernel W, no bias) then SiLU over x [B, L, C]; w [C, W]."""
    c, width = w.shape
    y = F.conv1d(F.pad(x.transpose(1, 2), (width - 1, 0)), w.unsqueeze(1), groups=c)
    return F.silu(y.transpose(1, 2))


def memory(p, x, w, h, dk, dv):
    """One memory over x [B, L, D] (its own subsequence): o [B, L, H, dv], recurrent gated delta rule."""
    b, l, _ = x.shape
    q = short_conv(x @ p["q"].T, p["convQ"]).reshape(b, l, h, dk)
    k = short_conv(x @ w["k"].T, p["convK"]).reshape(b, l, h, dk)
    v = short_conv(x @ w["v"].T, p["convV"]).reshape(b, l, h, dv)
    q = q / torch.sqrt((q * q).sum(-1, keepdim=True) + 1e-6)
    k = k / torch.sqrt((k * k).sum(-1, keepdim=True) + 1e-6)
    beta = torch.sigmoid(x @ w["beta"].T)                                       # [B, L, H]
    g = -torch.exp(p["A_log"]) * F.softplus(x @ w["decay"].T + p["dt_bias"])     # [B, L, H], <= 0
    s = x.new_zeros(b, h, dk, dv)
    outs = []
    c = dk ** -0.5
    for t in range(l):
        s = torch.exp(g[:, t])[..., None, None] * s
        kt, vt = k[:, t], v[:, t]
        u = beta[:, t, :, None] * (vt - torch.einsum("bhij,bhi->bhj", s, kt))
        s = s + kt[..., :, None] * u[..., None, :]
        outs.append(c * torch.einsum("bhij,bhi->bhj", s, q[:, t]))
    return torch.stack(outs, 1)


def mom_forward(p, x, top_k=K, h=H, dk=DK, dv=DV):
    b, t, d = x.shape
    n, m = b * t, len(p["memories"])
    flat = x.reshape(n, d)
    probs = torch.softmax(flat @ p["router"].T, -1)
    w, sel = probs.topk(top_k, -1)
    w = w / w.sum(-1, keepdim=True)
    out = x.new_zeros(n, h * dv)
    for e in range(m):
        hit = sel == e                                   # [n, k]
        routed = hit.any(-1).reshape(b, t)
        weight = (w * hit).sum(-1)                       # [n]
        counts = routed.sum(1)
        length = int(counts.max())
        if length == 0:
            continue
        # stable sort puts each row's routed positions first, in time order (the reference's argsort is not stable)
        order = torch.sort((~routed).to(torch.int64), dim=1, stable=True).indices[:, :length]
        valid = torch.arange(length)[None, :] < counts[:, None]
        rows = torch.arange(b)[:, None] * t + order      # flat token index per slot
        xs = flat[rows] * valid[..., None]
        o = memory(p, xs, p["memories"][e], h, dk, dv).reshape(b, length, h * dv)
        o = o * (weight[rows] * valid)[..., None]
        out = out.index_add(0, rows[valid], o[valid])
    if p["shared"] is not None:
        out = out + memory(p, x, p["shared"], h, dk, dv).reshape(n, h * dv)
    o = out.reshape(b, t, h, dv)
    o = o * torch.rsqrt((o * o).mean(-1, keepdim=True) + 1e-5) * p["norm"]
    o = o.reshape(b, t, h * dv) * F.silu(x @ p["gate"].T)
    return o @ p["out"].T


def new_state(p, h=H, dk=DK, dv=DV):
    mems = len(p["memories"]) + (1 if p["shared"] is not None else 0)
    return [{"s": torch.zeros(h, dk, dv), "q": torch.zeros(3, h * dk), "k": torch.zeros(3, h * dk),
             "v": torch.zeros(3, h * dv)} for _ in range(mems)]


def conv_step(buf, x, w):
    win = torch.cat([buf, x[None]], 0)                 # [W, C]
    y = (w * win.T).sum(-1)
    buf.copy_(win[1:])
    return F.silu(y)


def memory_step(p, st, x, w, h, dk, dv):
    q = conv_step(st["q"], x @ p["q"].T, p["convQ"]).reshape(h, dk)
    k = conv_step(st["k"], x @ w["k"].T, p["convK"]).reshape(h, dk)
    v = conv_step(st["v"], x @ w["v"].T, p["convV"]).reshape(h, dv)
    q = q / torch.sqrt((q * q).sum(-1, keepdim=True) + 1e-6)
    k = k / torch.sqrt((k * k).sum(-1, keepdim=True) + 1e-6)
    beta = torch.sigmoid(x @ w["beta"].T)
    g = -torch.exp(p["A_log"]) * F.softplus(x @ w["decay"].T + p["dt_bias"])
    s = torch.exp(g)[:, None, None] * st["s"]
    u = beta[:, None] * (v - torch.einsum("hij,hi->hj", s, k))
    s = s + k[:, :, None] * u[:, None, :]
    st["s"] = s
    return dk ** -0.5 * torch.einsum("hij,hi->hj", s, q).reshape(h * dv)


@torch.no_grad()
def mom_step(p, state, x, top_k=K, h=H, dk=DK, dv=DV):
    """One token x [D]: only the top-k memories (and the shared one) advance."""
    probs = torch.softmax(x @ p["router"].T, -1)
    w, sel = probs.topk(top_k)
    w = w / w.sum()
    o = torch.zeros(h * dv)
    for j in range(top_k):
        e = int(sel[j])
        o += w[j] * memory_step(p, state[e], x, p["memories"][e], h, dk, dv)
    if p["shared"] is not None:
        o += memory_step(p, state[-1], x, p["shared"], h, dk, dv)
    o = o.reshape(h, dv)
    o = o * torch.rsqrt((o * o).mean(-1, keepdim=True) + 1e-5) * p["norm"]
    return (o.reshape(h * dv) * F.silu(x @ p["gate"].T)) @ p["out"].T


def run_layer(h, info):
    torch.manual_seed(3)
    p = new_params()
    for t in all_tensors(p):
        t.requires_grad_(True)
    x = torch.randn(B, T, D, requires_grad=True)
    target = torch.randn(B, T, D)

    def step():
        for t in all_tensors(p) + [x]:
            t.grad = None
        F.mse_loss(mom_forward(p, x), target).backward()

    info["torch.mom-layer.parameters"] = str(sum(t.numel() for t in all_tensors(p)))
    h.measure("mom layer fwd+bwd", "B8 T128 d128 H2x32 M4 k2+sh", 0, harness.TRAIN_STEP, step)


def run_decode(h, info):
    torch.manual_seed(3)
    p = new_params()
    state = new_state(p)
    tokens = torch.randn(64, D)
    i = [0]

    def decode():
        mom_step(p, state, tokens[i[0] % 64])
        i[0] += 1

    h.measure("mom decode step", "d128 H2x32 M4 k2+sh", 0, harness.MICRO, decode)


def check(path):
    """Loads weights/input/output written by the Java layer and compares the reference's output with them."""
    with open(path) as f:
        j = json.load(f)
    cfg = j["config"]
    h, dk, dv, top_k = cfg["heads"], cfg["headDim"], cfg["valueDim"], cfg["topK"]
    sd = {k: torch.tensor(v) for k, v in j["state"].items()}

    def writes(prefix):
        return {n: sd[prefix + "." + n + ".weight"].reshape(-1, cfg["dModel"]) for n in ("k", "v", "beta", "decay")}

    p = {"router": sd["router.gate.weight"].reshape(-1, cfg["dModel"]), "q": sd["core.q.weight"].reshape(-1, cfg["dModel"]),
         "convQ": sd["core.convQ.weight"].reshape(h * dk, -1), "convK": sd["core.convK.weight"].reshape(h * dk, -1),
         "convV": sd["core.convV.weight"].reshape(h * dv, -1), "A_log": sd["core.A_log"], "dt_bias": sd["core.dt_bias"],
         "memories": [writes("memory%d" % m) for m in range(cfg["memories"])],
         "shared": writes("shared") if cfg["shared"] else None, "norm": sd["output.norm.weight"],
         "gate": sd["output.gate.weight"].reshape(h * dv, -1), "out": sd["output.out.weight"].reshape(cfg["dModel"], -1)}
    x = torch.tensor(j["input"]).reshape(cfg["batch"], cfg["time"], cfg["dModel"])
    ours = torch.tensor(j["output"]).reshape(x.shape)
    with torch.no_grad():
        ref = mom_forward(p, x, top_k, h, dk, dv)
        err = (ref - ours).abs().max().item()
        state = new_state(p, h, dk, dv)
        steps = torch.stack([mom_step(p, state, x[0, t], top_k, h, dk, dv) for t in range(x.shape[1])])
        err_step = (steps - ref[0]).abs().max().item()
    print("max |PyTorch - Java| = %.3g (forward), decode-vs-forward in PyTorch %.3g" % (err, err_step))
    return err


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", help="JSON written by MomBenchmarks.writeCheck")
    a = ap.parse_args()
    if a.check:
        raise SystemExit(0 if check(a.check) < 1e-4 else 1)
    torch.set_num_threads(2)
    res = []
    hh = harness.Harness(lambda m: print("  torch  %-24s %-28s %10.3f ms" % (m.name, m.size, m.median_ms)), quick=True)
    info = {}
    run_layer(hh, info)
    run_decode(hh, info)
    print(info)
