"""The promoe-step suite of bench/run, mirroring bench/src/main/java/org/moelab/bench/ProMoeBenchmarks.java.

One ProMoE rectified-flow training step at the notebook's quick-preset sizes, built to match
org.moelab.models.ProMoE layer for layer: 16x16x1 images, patch 4 -> 16 tokens, Linear patch embedding (16 -> 48),
fixed 2-D sin-cos positions, timestep embedding (sinusoidal 64 of 1000*sigma -> Linear -> SiLU -> Linear), label
embedding with a null row (11 x 48), 4 adaLN-Zero blocks (LayerNorm eps 1e-6 with affine, non-causal attention with
separate q/k/v/out Linear with bias, modulation Linear(48, 6*48)), MoE in blocks 1 and 3: shared expert + 4 routed
+ 1 unconditional expert of 96 (GELU-tanh, biases); conditional routing on the post-dropout label, then cosine to
prototypes (4 x 48), top-1 with the raw cosine as gate; RCL (tau 0.07, weight 1) over the conditional tokens;
adaLN final layer; MSE to eps - x0 with sigma = sigmoid(N(0,1)); label dropout 0.1; AdamW lr 1e-3, weight decay 0.
Batch 32.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import harness
from moe import Experts
from train_step import FeedForward


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q, self.k, self.v, self.out = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        b, t, d = x.shape

        def split(y):
            return y.view(b, t, self.heads, self.dh).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        p = torch.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.dh)), dim=-1)
        return self.out((p @ v).transpose(1, 2).reshape(b, t, d))


class ProMoeLayer(nn.Module):
    def __init__(self, d, routed=4, hidden=96, null_label=10, tau=0.07):
        super().__init__()
        self.routed, self.null_label, self.tau = routed, null_label, tau
        self.prototypes = nn.Parameter(torch.randn(routed, d) * 0.02)
        self.experts = Experts(routed + 1, d, hidden)  # the last one is the unconditional expert
        self.shared = FeedForward(d, hidden)
        # Of the last forward: per-token labels, the RCL term, the expert per token [T, 1] (the trajectory check's).
        self.labels, self.rcl, self.last_routing = None, None, None

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        uncond = self.labels == self.null_label
        cos = F.normalize(x, dim=-1) @ F.normalize(self.prototypes, dim=-1).t()
        gate, idx = cos.max(dim=-1)
        idx = torch.where(uncond, torch.full_like(idx, self.routed), idx)
        gate = torch.where(uncond, torch.ones_like(gate), gate)
        self.last_routing = idx[:, None]
        out = self.experts(x, idx[:, None], gate[:, None]) + self.shared(x)
        cond = ~uncond
        one_hot = F.one_hot(idx[cond], self.routed + 1)[:, : self.routed].float()
        counts = one_hot.sum(0)
        valid = counts > 0
        if int(valid.sum()) >= 2:
            means = (one_hot.t() @ x[cond]) / counts.clamp(min=1)[:, None]
            logits = F.normalize(self.prototypes[valid], dim=-1) @ F.normalize(means[valid], dim=-1).t() / self.tau
            self.rcl = F.cross_entropy(logits, torch.arange(logits.shape[0]))
        else:
            self.rcl = x.new_zeros(())
        return out.reshape(shape)


class AdaLnBlock(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(d, eps=1e-6), Attention(d, heads)
        self.norm2, self.ffn = nn.LayerNorm(d, eps=1e-6), ffn
        self.modulation = nn.Linear(d, 6 * d)
        nn.init.zeros_(self.modulation.weight)
        nn.init.zeros_(self.modulation.bias)

    def forward(self, x, c):
        s1, sc1, g1, s2, sc2, g2 = self.modulation(F.silu(c))[:, None, :].chunk(6, dim=-1)
        x = x + g1 * self.attn(self.norm1(x) * (1 + sc1) + s1)
        return x + g2 * self.ffn(self.norm2(x) * (1 + sc2) + s2)


def sincos_2d(grid, d):
    def table(pos, dim):
        omega = torch.pow(10000.0, -torch.arange(dim // 2, dtype=torch.float64) / (dim // 2))
        a = pos[:, None].double() * omega[None]
        return torch.cat([torch.sin(a), torch.cos(a)], dim=1)

    p = torch.arange(grid * grid)
    return torch.cat([table(p % grid, d // 2), table(p // grid, d // 2)], dim=1).float()


class ProMoeDiT(nn.Module):
    def __init__(self, d=48, heads=4, depth=4, patch=4, size=16, classes=10, freq=64):
        super().__init__()
        self.patch, self.size, self.freq, self.grid = patch, size, freq, size // patch
        self.patch_embed = nn.Linear(patch * patch, d)
        self.register_buffer("pos", sincos_2d(self.grid, d))
        self.t1, self.t2 = nn.Linear(freq, d), nn.Linear(d, d)
        self.label = nn.Embedding(classes + 1, d)
        nn.init.normal_(self.label.weight, std=0.02)
        self.moe = [ProMoeLayer(d) for _ in range(depth // 2)]
        self.blocks = nn.ModuleList([AdaLnBlock(d, heads, self.moe[i // 2] if i % 2 == 1 else FeedForward(d, 4 * d)) for i in range(depth)])
        self.final_norm = nn.LayerNorm(d, eps=1e-6)
        self.final_mod, self.final_proj = nn.Linear(d, 2 * d), nn.Linear(d, patch * patch)
        for layer in (self.final_mod, self.final_proj):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x, sigma, labels):
        b, p, g = x.shape[0], self.patch, self.grid
        tokens = x.reshape(b, 1, g, p, g, p).permute(0, 2, 4, 3, 5, 1).reshape(b, g * g, p * p)
        h = self.patch_embed(tokens) + self.pos
        half = self.freq // 2
        angle = 1000 * sigma[:, None] * torch.exp(-math.log(10000.0) * torch.arange(half) / half)[None]
        c = self.t2(F.silu(self.t1(torch.cat([torch.cos(angle), torch.sin(angle)], dim=1)))) + self.label(labels)
        per_token = labels.repeat_interleave(g * g)
        for m in self.moe:
            m.labels = per_token
        for block in self.blocks:
            h = block(h, c)
        shift, scale = self.final_mod(F.silu(c))[:, None, :].chunk(2, dim=-1)
        out = self.final_proj(self.final_norm(h) * (1 + scale) + shift)
        return out.reshape(b, g, g, p, p, 1).permute(0, 5, 1, 3, 2, 4).reshape(b, 1, self.size, self.size)


def flow_loss(model, x0, labels, sigma, noise):
    """ProMoE.lossTerms for given draws: MSE of the predicted velocity to eps - x0 at x_sigma, plus the RCL terms."""
    s = sigma[:, None, None, None]
    v = model((1 - s) * x0 + s * noise, sigma, labels)
    return F.mse_loss(v, noise - x0) + sum(m.rcl for m in model.moe)


def run(h, info):
    torch.manual_seed(7)
    batch = 32
    model = ProMoeDiT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
    g = torch.Generator().manual_seed(11)
    x0 = torch.rand(batch, 1, 16, 16, generator=g) * 2 - 1
    labels = torch.randint(10, (batch,), generator=g)

    def step():
        optimizer.zero_grad(set_to_none=True)
        y = torch.where(torch.rand(batch) < 0.1, torch.full_like(labels, 10), labels)
        flow_loss(model, x0, y, torch.sigmoid(torch.randn(batch)), torch.randn_like(x0)).backward()
        optimizer.step()

    info["torch.promoe-step.parameters"] = str(sum(p.numel() for p in model.parameters()))
    h.measure("train step promoe", "d48 N16 B32 E4+S+U", 0, harness.TRAIN_STEP, step)
