"""Training-trajectory cross-check (issue 13): the PyTorch half of `bench/run --suites trajectory`.

The Java side (org.moelab.bench.Trajectory) writes, per model, a JSON file with the model's initial weights (and which
are frozen), the first N batches with every random draw a step makes (Gumbel noise, label dropout, sigma, noise),
the optimiser settings, and its own per-step loss, gradient norm and routing checksums. This script loads the same
weights into the PyTorch mirror of the model (the bench's modules; the MQAR mixers are written functionally over
mom.py), trains it N steps on the same batches with torch.optim.AdamW (same betas/eps/decoupled weight decay on
rank >= 2 parameters not named "*bias", same schedule and clipping) and compares the two loss curves step by step.

Relative gap at step i: |loss_torch - loss_java| / |loss_java|. Float32 on both sides in different summation orders,
so the curves start equal to ~1e-7 and separate only as training amplifies rounding. A routing model can make a
discrete choice differently once a near-tie falls the other way (a "routing flip": the step's routing checksums
differ); from there on the two runs are different trajectories and the gap says nothing about correctness. So:
PASS when the largest relative gap over the steps before the first routing flip (all N steps when none) is below
TOL; the gap over all N steps is reported too.

Usage: python3 trajectory.py FILE.json [FILE.json ...] [--out results.tsv] [--curves PREFIX]
"""
import argparse
import json
import math
import re
import sys
import time

import torch
import torch.nn.functional as F

import evomoe
import loramixer
import moe
import mom as mom_ref
import promoe
import train_step

TOL = 1e-3   # largest relative loss gap allowed before the first routing flip (float32 rounding stays far below)


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


# ------------------------------------------------------------------ MQAR mixer language model (MomExperiment.model)

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


def mom_mixer(p, x, c, aux, routing):
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
    # Balance loss (MoM.auxLoss): 1e-3 * k * Switch's balance over the routed slots; the memories each token chose.
    flat = x.reshape(-1, d)
    probs = torch.softmax(flat @ q["router"].T, -1)
    sel = probs.topk(k, -1).indices
    aux.append(1e-3 * k * moe.load_balance(probs, sel))
    routing.append(routing_checksum(sel))
    return y


def mqar_loss(p, c, batch, routing):
    b, t = c["batch"], c["length"]
    tokens = torch.tensor(batch["inputs"]).reshape(b, t)
    x = p["embed.weight"][tokens]
    aux = []
    for i in range(c["layers"]):
        n = rms(x, p["blocks.%d.norm1.weight" % i], 1e-6)
        sub = Params.__new__(Params)
        sub.t = p.sub("blocks.%d.attn." % i)
        if c["arm"] == "GATED_DELTANET":
            y = gdn_mixer(sub, n, c)
        elif c["arm"] == "LINEAR_ATTENTION":
            y = la_mixer(sub, n, c)
        elif c["arm"] == "MOM":
            y = mom_mixer(sub, n, c, aux, routing)
        else:
            raise ValueError(c["arm"])
        x = x + y
    hdn = rms(x, p["norm.weight"], 1e-6).reshape(b * t, -1)
    logits = hdn[torch.tensor(batch["positions"])] @ p["head.weight"].T
    loss = F.cross_entropy(logits, torch.tensor(batch["targets"]))
    for a in aux:
        loss = loss + a
    return loss


# ------------------------------------------------------------------ models that have an nn.Module mirror
# Each mirror is the bench's own module (train_step.py, moe.py, evomoe.py, loramixer.py, promoe.py), loaded with
# the Java initial weights through a table of (mirror-name pattern, Java name) rewrites. load_java checks that every
# Java parameter lands in exactly one mirror parameter with the right shape, so a mapping mistake stops the check
# instead of skewing it.

# Java's decoder (CausalTransformer) names its parts as the mirror does (embed, pos, blocks.i.norm1/attn/norm2/ffn,
# norm, head); only the MoE slot's inside and the learned position table's name differ.
LM_NAMES = [(r"^pos$", "pos.weight")]

JAVA_NAMES = {
    "lm": LM_NAMES,
    "moe-lm": LM_NAMES + [(r"^blocks\.(\d+)\.moe\.gate\.", r"blocks.\1.ffn.router.gate."),
                          (r"^blocks\.(\d+)\.moe\.experts\.(\w+)\.(\d+)$", r"blocks.\1.ffn.experts.\3.\2")],
    "evomoe": LM_NAMES + [(r"^moe\.router\.gate\.", "blocks.1.ffn.router.gate.gate."),
                          (r"^moe\.experts\.(\w+)\.(\d+)$", r"blocks.1.ffn.experts.\2.\1")],
    "lora-mixer": [(r"^base\.pos$", "base.pos.weight"), (r"^global_logits$", "globalLogits"),
                   (r"^base\.blocks\.(\d+)\.attn\.(q|k|v|out)\.base\.", r"base.blocks.\1.attn.\2."),
                   (r"^base\.blocks\.(\d+)\.attn\.out\.(A|B)\.(\d+)$", r"experts.\1_o.experts.\3.\2"),
                   (r"^base\.blocks\.(\d+)\.attn\.(q|k|v)\.(A|B)\.(\d+)$", r"experts.\1_\2.experts.\4.\3")],
    "promoe": [(r"^patch_embed\.", "patchEmbed."), (r"^t1\.", "timestep.first."), (r"^t2\.", "timestep.second."),
               (r"^label\.", "label.table."), (r"^final_norm\.", "final.norm."), (r"^final_mod\.", "final.modulation."),
               (r"^final_proj\.", "final.projection."), (r"^blocks\.(\d+)\.norm1\.", r"block\1.attentionNorm."),
               (r"^blocks\.(\d+)\.attn\.", r"block\1.attention."), (r"^blocks\.(\d+)\.norm2\.", r"block\1.feedForwardNorm."),
               (r"^blocks\.(\d+)\.modulation\.", r"block\1.modulation."),
               (r"^blocks\.(\d+)\.ffn\.prototypes$", r"block\1.feedForward.moe.router.inner.prototypes"),
               (r"^blocks\.(\d+)\.ffn\.experts\.(\w+)\.(\d+)$", r"block\1.feedForward.moe.experts.\3.\2"),
               (r"^blocks\.(\d+)\.ffn\.shared\.", r"block\1.feedForward.moe.shared."),
               (r"^blocks\.(\d+)\.ffn\.", r"block\1.feedForward.")],
}
JAVA_NAMES["smoe-dropout"] = JAVA_NAMES["moe-lm"]


def java_name(rules, name):
    for pattern, repl in rules:
        name = re.sub(pattern, repl, name)
    return name


def decayed(java, shape):
    """The Java AdamW's MATRICES_ONLY policy: rank >= 2 and not a bias."""
    return len(shape) >= 2 and not java.endswith("bias")


def load_java(module, j, rules):
    """Copies the Java initial weights into `module`; returns (trainable, decayed, names): mirror parameter lists and
    each trainable one's Java name. A mirror parameter is trainable unless its Java source is frozen (requires_grad
    is set to match)."""
    frozen, used = set(j["frozen"]), set()
    trainable, decay, java_names = [], [], []
    with torch.no_grad():
        for name, param in module.named_parameters():
            jn = java_name(rules, name)
            if jn not in j["state"] or jn in used:
                raise KeyError("mirror parameter %r: Java parameter %r is %s" % (name, jn, "used twice" if jn in used else "missing"))
            value = torch.tensor(j["state"][jn]).reshape(j["shapes"][jn])
            if value.shape != param.shape:
                raise ValueError("mirror parameter %r %s <- Java %s %s" % (name, tuple(param.shape), jn, tuple(value.shape)))
            param.copy_(value)
            used.add(jn)
            param.requires_grad_(jn not in frozen)
            if param.requires_grad:
                trainable.append(param)
                java_names.append(jn)
                if decayed(jn, value.shape):
                    decay.append(param)
    unused = sorted(set(j["state"]) - used)
    if unused:
        raise KeyError("Java parameters without a mirror parameter: %s" % unused)
    return trainable, decay, java_names


def grad_norms_by_java_name(params, java_names):
    """Each Java parameter's gradient L2 norm (Trajectory.gradNorms: 0 without a gradient), from the mirror's."""
    return {name: q.grad.double().norm().item() if q.grad is not None else 0.0 for q, name in zip(params, java_names)}


def routed_layers(module):
    """The mirror's routing layers in forward order: those that keep their last routing as `last_routing`."""
    return [m for m in module.modules() if hasattr(m, "last_routing")]


def routing_checksum(idx):
    """Trajectory.checksum: sum over (token, expert) pairs of (token + 1) * (expert + 1); idx [T, slots], -1 = none."""
    token = torch.arange(idx.shape[0]).unsqueeze(1).expand_as(idx)
    keep = idx >= 0
    return int(((token[keep] + 1) * (idx[keep] + 1)).sum())


def token_rows(c, batch, key):
    return torch.tensor(batch[key]).reshape(c["batch"], -1)


def build_lm(c):
    return train_step.CausalTransformer(c["vocab"], c["dModel"], c["heads"], c["layers"], c["time"])


def lm_step(model, c, batch):
    return model.loss(token_rows(c, batch, "tokens"), token_rows(c, batch, "targets"))


def build_moe_lm(c):
    k_set_per_step = 1   # each batch carries its k (moe_lm_step)
    return moe.SmoeLanguageModel(c["vocab"], c["dModel"], c["heads"], c["layers"], c["context"], c["experts"], c["hidden"],
                                 k_set_per_step, 0.0, frozen_router=c["arm"] != "LEARNED")


def moe_lm_step(model, c, batch):
    for m in routed_layers(model):   # the step's k: SMoE-Dropout's schedule, or the learned router's fixed k
        m.k = batch["k"]
    logits = model(token_rows(c, batch, "tokens"))
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(batch["targets"]))
    if c["balance"] > 0:
        loss = loss + c["balance"] * sum(m.aux for m in routed_layers(model))
    return loss


def build_evomoe(c):
    return evomoe.EvoMoeLanguageModel(c["vocab"], c["dModel"], c["heads"], c["context"], c["experts"], c["hidden"])


def evomoe_step(model, c, batch):
    gate = model.moe.router
    gate.tau, gate.hard = batch["tau"], batch["hard"]
    gate.noise = torch.tensor(batch["noise"]).reshape(-1, c["experts"])
    return evomoe.loss(model, token_rows(c, batch, "tokens"), token_rows(c, batch, "targets"))


def build_lora_mixer(c):
    if (c["experts"], c["rank"], c["alpha"]) != (loramixer.EXPERTS, loramixer.RANK, loramixer.ALPHA):
        raise ValueError("lora-mixer mirror is built for E=%d r=%d alpha=%g, Java has %s" % (
            loramixer.EXPERTS, loramixer.RANK, loramixer.ALPHA, c))
    return loramixer.LoraMixer()


def lora_mixer_step(model, c, batch):
    rows = (batch["rows"], batch["length"])
    tokens, targets = torch.tensor(batch["inputs"]).reshape(rows), torch.tensor(batch["targets"]).reshape(rows)
    return loramixer.step_loss(model, tokens, targets, torch.tensor(batch["tasks"]) if c["mode"] == "ORACLE" else None)


def build_promoe(c):
    return promoe.ProMoeDiT()


def promoe_step(model, c, batch):
    size = c["imageSize"]
    images = lambda key: torch.tensor(batch[key]).reshape(c["batch"], 1, size, size)
    return promoe.flow_loss(model, images("x0"), torch.tensor(batch["labels"]), torch.tensor(batch["sigma"]), images("noise"))


# model name -> (mirror builder, one step's loss, Java-name table)
MODULE_MODELS = {
    "lm": (build_lm, lm_step, "lm"),
    "moe-lm": (build_moe_lm, moe_lm_step, "moe-lm"),
    "smoe-dropout": (build_moe_lm, moe_lm_step, "smoe-dropout"),
    "evomoe": (build_evomoe, evomoe_step, "evomoe"),
    "lora-mixer-oracle": (build_lora_mixer, lora_mixer_step, "lora-mixer"),
    "lora-mixer-soft": (build_lora_mixer, lora_mixer_step, "lora-mixer"),
    "promoe": (build_promoe, promoe_step, "promoe"),
}
MQAR_MODELS = {"mqar-gdn", "mqar-la", "mqar-mom"}


def prepare(j):
    """(trainable params, decayed params, loss of step i, routing checksums of the last forward, per-Java-parameter
    gradient norms of the last backward) for j's model."""
    c = j["config"]
    if j["model"] in MQAR_MODELS:
        p = Params(j)
        routing = []

        def loss_at(i):
            routing.clear()
            return mqar_loss(p, c, j["batches"][i], routing)

        params = list(p.t.values())
        decay = [v for k, v in p.t.items() if decayed(k, v.shape)]
        return params, decay, loss_at, lambda: list(routing), lambda: grad_norms_by_java_name(params, list(p.t))
    build, step, names = MODULE_MODELS[j["model"]]
    torch.manual_seed(0)   # the mirror's own initialisation is overwritten; seeded only so that a run is repeatable
    model = build(c)
    params, decay, java_names = load_java(model, j, JAVA_NAMES[names])
    layers = routed_layers(model)
    return params, decay, lambda i: step(model, c, j["batches"][i]), lambda: [routing_checksum(m.last_routing) for m in layers], \
        lambda: grad_norms_by_java_name(params, java_names)


def train(j):
    o = j["optim"]
    params, decay, loss_at, routing, grad_norms = prepare(j)
    other = [q for q in params if all(q is not d for d in decay)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": o["weightDecay"]}, {"params": other, "weight_decay": 0.0}],
                            lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"])
    n, warm, peak = j["steps"], o["warmup"], o["lr"]

    def lr_at(i):
        if o["recipe"] != "recall":
            return peak
        if i < warm:
            return peak * i / warm
        return peak * 0.5 * (1 + math.cos(math.pi * min(1.0, (i - warm) / (n - warm))))

    losses, norms, routes, param_norms = [], [], [], []
    for i in range(n):
        opt.zero_grad(set_to_none=True)
        loss = loss_at(i)
        routes.append(routing())
        loss.backward()
        param_norms.append(grad_norms())
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
    return losses, norms, routes, param_norms


PARAM_GAP = 1e-3     # a parameter's gradient norm "parts" from ours beyond this relative gap
NOISE_LEVEL = 1e-6   # gradient norms below this share of the step's global norm are rounding noise, not compared


def first_parting_gradient(j, param_norms, steps):
    """(step, Java parameter name, relative gap) of the first parameter gradient to part from ours within `steps`,
    or None; and the parameters left out of that comparison because their gradient was, at some step, below
    NOISE_LEVEL of the global norm but not zero (such as attention key biases, whose gradient is mathematically zero:
    softmax ignores a shift common to a row; Adam turns that rounding noise into lr-sized steps on both sides)."""
    names = list(j["shapes"])
    noise = set()
    for i in range(steps):
        ours = dict(zip(names, j["java"]["paramGradNorms"][i]))
        level = NOISE_LEVEL * j["java"]["gradNorm"][i]
        worst = None
        for name, theirs in param_norms[i].items():
            if ours[name] <= level:
                if ours[name] > 0 or theirs > 0:
                    noise.add(name)
                continue
            gap = abs(theirs - ours[name]) / ours[name]
            if gap > PARAM_GAP and (worst is None or gap > worst[2]):
                worst = (i, name, gap)
        if worst:
            return worst, sorted(noise)
    return None, sorted(noise)


def compare(j, losses, norms, routes, param_norms):
    jl, jg, jr = j["java"]["loss"], j["java"]["gradNorm"], j["java"]["routing"]
    n = len(jl)
    rel = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(losses, jl)]
    flip = next((i for i in range(n) if routes[i] != jr[i]), None)
    compared = n if flip is None else flip   # steps whose forward routed every token as ours did
    worst = max(range(n), key=lambda i: rel[i])
    before = max(range(compared), key=lambda i: rel[i]) if compared > 0 else None
    gap_before = rel[before] if before is not None else float("nan")
    grad = max((abs(a - b) / max(abs(b), 1e-12) for a, b in zip(norms[:compared], jg[:compared])), default=float("nan"))
    ok = compared > 0 and gap_before < TOL
    parting, noise = first_parting_gradient(j, param_norms, compared)
    return dict(model=j["model"], steps=n, first_java=jl[0], first_torch=losses[0], last_java=jl[-1], last_torch=losses[-1],
                max_gap=rel[worst], max_gap_at=worst, routing_flip=flip, compared=compared, gap_before_flip=gap_before,
                gap_before_flip_at=before, grad_gap=grad, routed=any(len(r) > 0 for r in jr), ok=ok,
                first_parting_gradient=parting, noise_gradients=noise)


def verdict(r):
    if not r["ok"]:
        return "FAIL"
    if r["routing_flip"] is None:
        return "PASS"
    return "PASS to the flip at step %d" % r["routing_flip"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--curves", help="write step, java loss, torch loss, java grad norm, torch grad norm per model to this prefix")
    a = ap.parse_args()
    torch.set_num_threads(2)
    rows = []
    print("| model | N | max relative gap (step) | first routing flip | max gap before the flip (step) | grad-norm gap before the flip | verdict (tol %.0e) | torch s |" % TOL)
    print("|---|---|---|---|---|---|---|---|")
    for f in a.files:
        with open(f) as fh:
            j = json.load(fh)
        t0 = time.perf_counter()
        losses, norms, routes, param_norms = train(j)
        r = compare(j, losses, norms, routes, param_norms)
        r["torch_seconds"] = time.perf_counter() - t0
        rows.append(r)
        flip = "step %d" % r["routing_flip"] if r["routing_flip"] is not None else ("none" if r["routed"] else "– (no routing)")
        before = "%.1e (%d)" % (r["gap_before_flip"], r["gap_before_flip_at"]) if r["routing_flip"] is not None else "–"
        print("| %s | %d | %.1e (%d) | %s | %s | %.1e | %s | %.0f |" % (r["model"], r["steps"], r["max_gap"], r["max_gap_at"], flip, before,
                                                                    r["grad_gap"], verdict(r), r["torch_seconds"]))
        sys.stdout.flush()
        if a.curves:
            with open("%s%s.tsv" % (a.curves, j["model"]), "w") as fh:
                fh.write("step\tjava_loss\ttorch_loss\tjava_grad_norm\ttorch_grad_norm\trouting_equal\n")
                for i in range(len(losses)):
                    fh.write("%d\t%.6f\t%.6f\t%.6f\t%.6f\t%d\n" % (i, j["java"]["loss"][i], losses[i], j["java"]["gradNorm"][i], norms[i],
                                                                   routes[i] == j["java"]["routing"][i]))
    for r in rows:
        notes = []
        if r["first_parting_gradient"]:
            notes.append("first gradient to part by > %.0e before the flip: step %d, %s (%.1e)" % ((PARAM_GAP,) + r["first_parting_gradient"]))
        if r["noise_gradients"]:
            notes.append("gradients too small to compare at some step (< %.0e of the global norm): %s" % (NOISE_LEVEL, ", ".join(r["noise_gradients"])))
        if notes:
            print("\n%s: %s." % (r["model"], "; ".join(notes)))
    if a.out:
        with open(a.out, "w") as fh:
            keys = list(rows[0].keys())
            fh.write("\t".join(keys) + "\n")
            for r in rows:
                fh.write("\t".join(str(r[k]) for k in keys) + "\n")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
