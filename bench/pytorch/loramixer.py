"""The loramixer-step suite of bench/run, mirroring bench/src/main/java/org/moelab/bench/LoraMixerBenchmarks.java.

One LoRA-Mixer training step (forward + backward + AdamW on the trainable parameters only) at the quick preset of
org.moelab.experiments.LoraMixerSettings, built to match org.moelab.models.LoraMixer around the frozen
LoraMixerBase.architecture (train_step.CausalTransformer: vocab 31, d 48, 4 heads, 2 pre-norm layers with separate
q/k/v/out Linear with bias, causal softmax attention, GELU-tanh FFN of 4d, LayerNorm, learned positions over 20,
bias-free head). Each of q, k, v and out of both layers is wrapped with E = 4 LoRA experts (A [r, in] U(+-1/sqrt(in)),
B [out, r] = 0, scale alpha/r = 32/16), added per token with its weight:

  y = W x + b + sum_e w_e * ((x A_e^T) B_e^T * alpha/r)

- loramixer-stage1: oracle routing by each row's task label; per expert only the routed tokens are gathered,
  pushed through A_e and B_e and scattered back (index_add), as LoRAMixerLinear does; experts trainable, AdamW 3e-3.
- loramixer-stage2: per layer a router Linear(d, E) with bias on the causal mean of LN1's output, p = softmax;
  every expert weighted by p; loss = CE on the answer tokens + per layer 0.01 E sum(mean p * f) + 0.05 mean H(p)
  over the non-padding tokens (f: share of argmax; no gradient); routers trainable, AdamW 3e-2.
Weight decay 0. The batch: 32 rows of SeqTasks' default tasks (REV, SORT, INC, CIPHER; 5-8 digits, cue;
BOS cue x SEP y EOS, padded to 20), targets on the answer positions only. Attention is written out as in
train_step.py (PyTorch 1.13 has no scaled_dot_product_attention). A frozen global_logits [E] stands in for
LoraMixer's (unused here) global weighting so that the total parameter counts agree. Warm-up 10 s (quick: 2.5 s)
on both sides, see LoraMixerBenchmarks.STEP.
"""
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

import harness
from train_step import CausalTransformer

VOCAB, D, HEADS, LAYERS, MAX_LEN = 31, 48, 4, 2, 20
EXPERTS, RANK, ALPHA, BATCH = 4, 16, 32.0, 32
BALANCE, ENTROPY = 0.01, 0.05
STEP = harness.Settings(10.0, 5, 0, 15)   # LoraMixerBenchmarks.STEP
PAD, BOS, SEP, EOS, FIRST_DIGIT, FIRST_LETTER, FIRST_CUE = 0, 1, 2, 3, 4, 14, 24
CIPHER_KEY = [7, 2, 9, 0, 5, 1, 8, 3, 6, 4]


def seq_tasks_batch(rows, seed):
    """SeqTasks.generate(rows, rng) with the default tasks (REV=1, SORT=2, INC=3, CIPHER=4 as cue ordinals)."""
    rnd = random.Random(seed)
    inputs = torch.zeros(rows, MAX_LEN, dtype=torch.long)
    targets = torch.full((rows, MAX_LEN), -100, dtype=torch.long)
    tasks = []
    for r in range(rows):
        t = rnd.randrange(4)
        tasks.append(t)
        d = [rnd.randrange(10) for _ in range(rnd.randint(5, 8))]
        y = [[FIRST_DIGIT + v for v in reversed(d)], [FIRST_DIGIT + v for v in sorted(d)],
             [FIRST_DIGIT + (v + 1) % 10 for v in d], [FIRST_LETTER + CIPHER_KEY[v] for v in d]][t]
        seq = [BOS, FIRST_CUE + 1 + t] + [FIRST_DIGIT + v for v in d]
        start = len(seq)
        seq += [SEP] + y + [EOS]
        inputs[r, : len(seq)] = torch.tensor(seq)
        targets[r, start: start + len(y)] = torch.tensor(y)
    return inputs, targets, torch.tensor(tasks)


class Route:
    """Per expert: token indices (None: all) and weights [n_e, 1] (None: 1)."""
    def __init__(self, tokens, weights):
        self.tokens, self.weights = tokens, weights


class MixerLinear(nn.Module):
    def __init__(self, base, experts, rank, alpha):
        super().__init__()
        self.base, self.scale, self.route = base, alpha / rank, None
        bound = 1 / math.sqrt(base.in_features)
        self.A = nn.ParameterList(nn.Parameter(torch.empty(rank, base.in_features).uniform_(-bound, bound)) for _ in range(experts))
        self.B = nn.ParameterList(nn.Parameter(torch.zeros(base.out_features, rank)) for _ in range(experts))

    def forward(self, x):
        shape = x.shape
        rows = x.reshape(-1, shape[-1])
        y = self.base(rows)
        for e in range(len(self.A)):
            idx, w = self.route.tokens[e], self.route.weights[e]
            if idx is not None and idx.numel() == 0:
                continue
            delta = ((rows if idx is None else rows[idx]) @ self.A[e].t()) @ self.B[e].t() * self.scale
            if w is not None:
                delta = delta * w
            y = y + delta if idx is None else y.index_add(0, idx, delta)
        return y.reshape(*shape[:-1], y.shape[-1])


class LoraMixer(nn.Module):
    def __init__(self):
        super().__init__()
        self.base = CausalTransformer(VOCAB, D, HEADS, LAYERS, MAX_LEN)
        for p in self.base.parameters():
            p.requires_grad_(False)
        self.mixers = nn.ModuleList()
        for block in self.base.blocks:
            a = block.attn
            a.q, a.k, a.v, a.out = (MixerLinear(lin, EXPERTS, RANK, ALPHA) for lin in (a.q, a.k, a.v, a.out))
            self.mixers.append(nn.ModuleList([a.q, a.k, a.v, a.out]))
        self.routers = nn.ModuleList(nn.Linear(D, EXPERTS) for _ in range(LAYERS))
        self.global_logits = nn.Parameter(torch.zeros(EXPERTS), requires_grad=False)

    def stage(self, experts, routers):
        for m in self.mixers:
            for p in (p for mx in m for p in list(mx.A) + list(mx.B)):
                p.requires_grad_(experts)
        for p in self.routers.parameters():
            p.requires_grad_(routers)
        return self

    def forward(self, tokens, oracle_tokens=None):
        b, t = tokens.shape
        x = self.base.embed(tokens) + self.base.pos[:t]
        fixed = Route(oracle_tokens, [None] * EXPERTS) if oracle_tokens is not None else None
        probs = []
        counts = torch.arange(1, t + 1, dtype=x.dtype).view(1, t, 1)
        for l, block in enumerate(self.base.blocks):
            h = block.norm1(x)
            if fixed is None:
                features = (h.cumsum(1) / counts).reshape(b * t, D)   # causal mean over s <= t
                p = torch.softmax(self.routers[l](features), dim=-1)
                probs.append(p)
                route = Route([None] * EXPERTS, [p[:, e: e + 1] for e in range(EXPERTS)])
            else:
                route = fixed
            for m in self.mixers[l]:
                m.route = route
            x = x + block.attn(h)
            x = x + block.ffn(block.norm2(x))
        return self.base.head(self.base.norm(x)), probs


def router_loss(probs, counted):
    total = torch.zeros(())
    for p in probs:
        q = p[counted]
        f = F.one_hot(q.argmax(dim=-1), EXPERTS).float().mean(0)
        loss = (q.mean(0) * f).sum() * (BALANCE * EXPERTS)
        entropy = -(q * (q + 1e-9).log()).sum(1).mean()
        total = total + loss + ENTROPY * entropy
    return total


def step_loss(model, tokens, targets, oracle_tasks=None):
    """LoraMixer's taskLoss + routerLoss: oracle routing by each row's task when oracle_tasks is given (stage 1),
    else the soft routers (stage 2); the router loss counts the non-padding tokens."""
    oracle = None
    if oracle_tasks is not None:   # per forward, as LoraMixer builds its Routing.hard from the row labels
        expert_of_token = oracle_tasks.repeat_interleave(tokens.shape[1])
        oracle = [torch.nonzero(expert_of_token == e).reshape(-1) for e in range(EXPERTS)]
    logits, probs = model(tokens, oracle)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1), ignore_index=-100)
    return loss + router_loss(probs, (tokens != PAD).reshape(-1))


def run(h, info):
    torch.manual_seed(7)
    tokens, targets, tasks = seq_tasks_batch(BATCH, 11)
    size = "d48 T%d B%d E%d r%d" % (MAX_LEN, BATCH, EXPERTS, RANK)
    for name, mode, lr, experts, routers in (("loramixer-stage1", "oracle", 3e-3, True, False),
                                             ("loramixer-stage2", "soft", 3e-2, False, True)):
        model = LoraMixer().stage(experts, routers)
        trainable = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(trainable, lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = step_loss(model, tokens, targets, tasks if mode == "oracle" else None)
            loss.backward()
            opt.step()
            return loss

        info["torch.%s.parameters" % name] = "%d trainable / %d total" % (sum(p.numel() for p in trainable),
                                                                        sum(p.numel() for p in model.parameters()))
        info["torch.%s.first_loss" % name] = "%.4f" % step().item()
        h.measure("train step " + name, size + " " + mode, 0, STEP, step)
