"""Training-trajectory cross-check (issue 13): the PyTorch half of `bench/run --suites trajectory`.

The Java side (org.moelab.bench.Trajectory) writes, per model, a JSON file with the model's initial weights, the
first N batches, the optimiser settings and its own per-step loss and gradient norm. This script loads the same
weights into a plain-PyTorch mirror of the model, trains it N steps on the same batches with torch.optim.AdamW
(same betas/eps/decoupled weight decay on rank >= 2 parameters not named "*bias", same schedule and clipping) and
compares the two loss curves step by step.

Relative gap at step i: |loss_torch - loss_java| / |loss_java|. Float32 on both sides, different summation orders:
two runs of the same model start equal to ~1e-6 and drift apart chaotically as training amplifies rounding, so the
check reports the largest gap over the first 50 steps (where rounding has not had time to compound: TOL_EARLY) and
over all N steps (TOL_ALL, on the mean of 10-step windows so that one noisy batch does not decide it).

Usage: python3 trajectory.py FILE.json [FILE.json ...] [--out results.tsv]
"""
import argparse
import json
import math
import sys

import torch
import torch.nn.functional as F

import mom as mom_ref

TOL_EARLY = 1e-3   # largest relative loss gap allowed in steps 0-49
TOL_ALL = 2e-2     # largest relative gap of 10-step window means allowed over all N steps


def rms(x, w, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w


def elu1(x):
    return torch.where(x > 0, x + 1, torch.exp(x))


class Params:
    """The Java state dict as named leaf tensors (requires_grad), reshaped to the Java shapes."""

    def __init__(self, j):
        self.t = {}
        for name, v in j["state"].items():
            self.t[name] = torch.tensor(v, dtype=torch.float32).reshape(j["shapes"][name]).requires_grad_(True)

    def __getitem__(self, k):
        return self.t[k]

    def __contains__(self, k):
        return k in self.t

    def sub(self, prefix):
        return {k[len(prefix):]: v for k, v in self.t.items() if k.startswith(prefix)}


# ------------------------------------------------------------------ MQAR mixer language model (MixerLanguageModel)

def gdn_mixer(p, x, c):
    h, dk = c["heads"], c["headDim"]
    core = {"q": p["core.q.weight"], "convQ": p["core.convQ.weight"], "convK": p["core.convK.weight"],
            "convV": p["core.convV.weight"], "A_log": p["core.A_log"], "dt_bias": p["core.dt_bias"]}
    w = {n: p["writes.%s.weight" % n] for n in ("k", "v", "beta", "decay")}
    dv = w["v"].shape[0] // h
    o = mom_ref.memory(core, x, w, h, dk, dv)
    return gated_output(p, o, x, h, dv)


def gated_output(p, o, x, h, dv):
    b, t, _ = x.shape
    o = rms(o, p["output.norm.weight"], 1e-5).reshape(b, t, h * dv)
    return (o * F.silu(x @ p["output.gate.weight"].T)) @ p["output.out.weight"].T


def la_mixer(p, x, c):
    h, dk = c["heads"], c["headDim"]
    b, t, _ = x.shape
    q = mom_ref.short_conv(x @ p["q.weight"].T, p["convQ.weight"]).reshape(b, t, h, dk)
    k = mom_ref.short_conv(x @ p["k.weight"].T, p["convK.weight"]).reshape(b, t, h, dk)
    v = mom_ref.short_conv(x @ p["v.weight"].T, p["convV.weight"]).reshape(b, t, h, -1)
    dv = v.shape[-1]
    a = torch.einsum("bihd,bjhd->bhij", elu1(q), elu1(k)) * dk ** -0.5
    a = a * torch.ones(t, t).tril()
    o = torch.einsum("bhij,bjhd->bihd", a, v)
    o = rms(o, p["norm.weight"], 1e-5).reshape(b, t, h * dv)
    return o @ p["out.weight"].T


def mom_mixer(p, x, c, aux):
    h, dk, m, k = c["heads"], c["headDim"], c["memories"], c["topK"]
    d = x.shape[-1]

    def writes(prefix):
        return {n: p[prefix + n + ".weight"] for n in ("k", "v", "beta", "decay")}

    q = {"router": p["router.gate.weight"], "q": p["core.q.weight"], "convQ": p["core.convQ.weight"],
         "convK": p["core.convK.weight"], "convV": p["core.convV.weight"], "A_log": p["core.A_log"],
         "dt_bias": p["core.dt_bias"], "memories": [writes("memory%d." % i) for i in range(m)],
         "shared": writes("shared.") if "shared.k.weight" in p else None, "norm": p["output.norm.weight"],
         "gate": p["output.gate.weight"], "out": p["output.out.weight"]}
    dv = q["memories"][0]["v"].shape[0] // h
    y = mom_ref.mom_forward(q, x, k, h, dk, dv)
    # Balance loss (MoM.auxLoss): 1e-3 * M * sum_m f_m * mean_p_m, f_m = tokens routed to m / tokens.
    flat = x.reshape(-1, d)
    probs = torch.softmax(flat @ q["router"].T, -1)
    sel = probs.topk(k, -1).indices
    f = torch.stack([(sel == e).any(-1).float().mean() for e in range(m)])
    aux.append(1e-3 * m * (f * probs.mean(0)).sum())
    return y


def mqar_loss(p, c, batch):
    b, t = c["batch"], c["length"]
    tokens = torch.tensor(batch["inputs"]).reshape(b, t)
    x = p["embedding.weight"][tokens]
    aux = []
    for i in range(c["layers"]):
        n = rms(x, p["norm%d.weight" % i], 1e-6)
        sub = Params.__new__(Params)
        sub.t = p.sub("mixer%d." % i)
        if c["arm"] == "GATED_DELTANET":
            y = gdn_mixer(sub, n, c)
        elif c["arm"] == "LINEAR_ATTENTION":
            y = la_mixer(sub, n, c)
        elif c["arm"] == "MOM":
            y = mom_mixer(sub, n, c, aux)
        else:
            raise ValueError(c["arm"])
        x = x + y
    hdn = rms(x, p["finalNorm.weight"], 1e-6).reshape(b * t, -1)
    logits = hdn[torch.tensor(batch["positions"])] @ p["head.weight"].T
    loss = F.cross_entropy(logits, torch.tensor(batch["targets"]))
    for a in aux:
        loss = loss + a
    return loss


# ------------------------------------------------------------------ causal transformer LM (CausalTransformer)

def lm_loss(p, c, batch):
    b, t, d, nh = c["batch"], c["time"], c["dModel"], c["heads"]
    dh = d // nh
    tokens = torch.tensor(batch["tokens"]).reshape(b, t)
    targets = torch.tensor(batch["targets"])
    x = p[LM_NAMES["embed"]][tokens] + p[LM_NAMES["pos"]][:t]
    mask = torch.ones(t, t, dtype=torch.bool).triu(1)
    for i in range(c["layers"]):
        def n(key):
            return p[LM_NAMES[key] % i]

        y = F.layer_norm(x, (d,), n("ln1.w"), n("ln1.b"), 1e-5)

        def split(z):
            return z.view(b, t, nh, dh).transpose(1, 2)

        q = split(F.linear(y, n("q.w"), n("q.b")))
        k = split(F.linear(y, n("k.w"), n("k.b")))
        v = split(F.linear(y, n("v.w"), n("v.b")))
        s = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(dh))
        a = torch.softmax(s.masked_fill(mask, float("-inf")), -1)
        o = (a @ v).transpose(1, 2).reshape(b, t, d)
        x = x + F.linear(o, n("o.w"), n("o.b"))
        y = F.layer_norm(x, (d,), n("ln2.w"), n("ln2.b"), 1e-5)
        x = x + F.linear(F.gelu(F.linear(y, n("up.w"), n("up.b")), approximate="tanh"), n("down.w"), n("down.b"))
    x = F.layer_norm(x, (d,), p[LM_NAMES["lnf.w"]], p[LM_NAMES["lnf.b"]], 1e-5)
    logits = x.reshape(b * t, d) @ p[LM_NAMES["head"]].T
    return F.cross_entropy(logits, targets)


LM_NAMES = {}  # filled from the Java names by lm_names()


def lm_names(names):
    """Maps the Java CausalTransformer parameter names onto the roles lm_loss uses (checked, not guessed)."""
    table = {"embed": "embed.weight", "pos": "pos.weight", "head": "head.weight",
             "lnf.w": "norm.weight", "lnf.b": "norm.bias"}
    per = {"ln1.w": "blocks.%d.norm1.weight", "ln1.b": "blocks.%d.norm1.bias", "ln2.w": "blocks.%d.norm2.weight",
           "ln2.b": "blocks.%d.norm2.bias", "q.w": "blocks.%d.attn.q.weight", "q.b": "blocks.%d.attn.q.bias",
           "k.w": "blocks.%d.attn.k.weight", "k.b": "blocks.%d.attn.k.bias",
           "v.w": "blocks.%d.attn.v.weight", "v.b": "blocks.%d.attn.v.bias",
           "o.w": "blocks.%d.attn.out.weight", "o.b": "blocks.%d.attn.out.bias",
           "up.w": "blocks.%d.ffn.up.weight", "up.b": "blocks.%d.ffn.up.bias",
           "down.w": "blocks.%d.ffn.down.weight", "down.b": "blocks.%d.ffn.down.bias"}
    table.update(per)
    for k, v in table.items():
        if "%d" not in v and v not in names:
            raise KeyError("lm mirror: no Java parameter %r (have %s)" % (v, sorted(names)))
        if "%d" in v and (v % 0) not in names:
            raise KeyError("lm mirror: no Java parameter %r (have %s)" % (v % 0, sorted(names)))
    LM_NAMES.update(table)


LOSSES = {"mqar-gdn": mqar_loss, "mqar-la": mqar_loss, "mqar-mom": mqar_loss, "lm": lm_loss}


def train(j):
    p = Params(j)
    c, o = j["config"], j["optim"]
    if j["model"] == "lm":
        lm_names(set(p.t))
    loss_fn = LOSSES[j["model"]]
    decay = [v for k, v in p.t.items() if v.dim() >= 2 and not k.endswith("bias")]
    other = [v for k, v in p.t.items() if not (v.dim() >= 2 and not k.endswith("bias"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": o["weightDecay"]}, {"params": other, "weight_decay": 0.0}],
                            lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"])
    n, warm, peak = j["steps"], o["warmup"], o["lr"]

    def lr_at(i):
        if o["recipe"] != "recall":
            return peak
        if i < warm:
            return peak * i / warm
        return peak * 0.5 * (1 + math.cos(math.pi * min(1.0, (i - warm) / (n - warm))))

    losses, norms = [], []
    params = list(p.t.values())
    for i in range(n):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(p, c, j["batches"][i])
        loss.backward()
        total = torch.sqrt(sum((q.grad.double() ** 2).sum() for q in params if q.grad is not None)).item()
        if o["clip"] > 0 and total > o["clip"]:
            scale = o["clip"] / (total + 1e-6)
            for q in params:
                if q.grad is not None:
                    q.grad.mul_(scale)
        for g in opt.param_groups:
            g["lr"] = lr_at(i)
        opt.step()
        losses.append(loss.item())
        norms.append(total)
    return losses, norms


def compare(j, losses, norms):
    jl, jg = j["java"]["loss"], j["java"]["gradNorm"]
    rel = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(losses, jl)]
    early = max(rel[:50])
    early_at = rel.index(early)
    win = []
    for s in range(0, len(jl) - 9, 10):
        a, b = sum(losses[s:s + 10]) / 10, sum(jl[s:s + 10]) / 10
        win.append((abs(a - b) / abs(b), s))
    worst_win, worst_at = max(win)
    step_max = max(rel)
    gnr = max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(norms[:50], jg[:50]))
    return dict(model=j["model"], steps=len(jl), first_java=jl[0], first_torch=losses[0], last_java=jl[-1],
                last_torch=losses[-1], early=early, early_at=early_at, window=worst_win, window_at=worst_at,
                step_max=step_max, step_max_at=rel.index(step_max), grad_early=gnr,
                ok=early <= TOL_EARLY and worst_win <= TOL_ALL)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--curves", help="write step, java loss, torch loss, java grad norm, torch grad norm per model to this prefix")
    a = ap.parse_args()
    torch.set_num_threads(2)
    rows = []
    for f in a.files:
        with open(f) as fh:
            j = json.load(fh)
        losses, norms = train(j)
        r = compare(j, losses, norms)
        rows.append(r)
        print("%-9s N=%d loss %.4f->%.4f (java %.4f->%.4f)  max rel gap steps 0-49 %.2e (step %d), 10-step windows %.2e "
              "(steps %d-%d), single step %.2e (step %d), grad norm 0-49 %.2e  %s"
              % (r["model"], r["steps"], r["first_torch"], r["last_torch"], r["first_java"], r["last_java"], r["early"],
                 r["early_at"], r["window"], r["window_at"], r["window_at"] + 9, r["step_max"], r["step_max_at"],
                 r["grad_early"], "OK" if r["ok"] else "DIVERGES"))
        sys.stdout.flush()
        if a.curves:
            with open("%s%s.tsv" % (a.curves, j["model"]), "w") as fh:
                fh.write("step\tjava_loss\ttorch_loss\tjava_grad_norm\ttorch_grad_norm\n")
                for i in range(len(losses)):
                    fh.write("%d\t%.6f\t%.6f\t%.6f\t%.6f\n" % (i, j["java"]["loss"][i], losses[i], j["java"]["gradNorm"][i], norms[i]))
    if a.out:
        with open(a.out, "w") as fh:
            keys = list(rows[0].keys())
            fh.write("\t".join(keys) + "\n")
            for r in rows:
                fh.write("\t".join(str(r[k]) for k in keys) + "\n")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
