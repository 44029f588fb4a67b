"""nanoGPT's GPT (Karpathy, github.com/karpathy/nanoGPT model.py) with its parameter names, written
for torch 1.13 (no scaled_dot_product_attention), the model Initium's `gpt:` family mirrors:
pre-LN blocks x + attn(ln_1(x)), x + mlp(ln_2(x)); fused c_attn [3d, d]; causal softmax
attention with scale 1/sqrt(head_dim); MLP c_fc [4d, d] -> GELU (erf) -> c_proj; final ln_f;
lm_head tied to transformer.wte (no bias); LayerNorm eps 1e-5; no dropout.

GPT-2 initialization (nanoGPT `_init_weights`): every Linear and Embedding weight ~ N(0, 0.02),
biases 0, LayerNorm 1/0, then every `c_proj.weight` ~ N(0, 0.02/sqrt(2 layers)).

`parameter_groups` splits parameters as Initium's default AdamW groups do: weight decay on the
weights of Linear layers only; none on biases, LayerNorm parameters and embeddings (the tied
head's weight is the token embedding, so it is not decayed either; this is nanoGPT's original
module-type rule, before it switched to "every tensor of rank >= 2")."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, width, heads, context):
        super().__init__()
        assert width % heads == 0
        self.heads = heads
        self.c_attn = nn.Linear(width, 3 * width)
        self.c_proj = nn.Linear(width, width)
        self.register_buffer("causal", torch.tril(torch.ones(context, context, dtype=torch.bool)), persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        h = self.heads
        q, k, v = (z.view(b, t, h, d // h).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // h))
        scores = scores.masked_fill(~self.causal[:t, :t], float("-inf"))
        y = F.softmax(scores, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, d))


class MLP(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.c_fc = nn.Linear(width, hidden)
        self.c_proj = nn.Linear(hidden, width)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, width, heads, context, hidden):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = SelfAttention(width, heads, context)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = MLP(width, hidden)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, layers=4, width=128, heads=4, context=128, vocabulary=256, hidden=None):
        super().__init__()
        self.context = context
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocabulary, width),
            wpe=nn.Embedding(context, width),
            h=nn.ModuleList([Block(width, heads, context, hidden or 4 * width) for _ in range(layers)]),
            ln_f=nn.LayerNorm(width)))
        self.lm_head = nn.Linear(width, vocabulary, bias=False)
        self.lm_head.weight = self.transformer.wte.weight
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * layers))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx):
        """Logits [B*T, V], rows in (b, t) order (Initium's language-model output)."""
        b, t = idx.shape
        pos = torch.arange(t, device=idx.device)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x)).view(b * t, -1)


def parameter_groups(model, weight_decay):
    """AdamW groups: Linear weights decay, everything else (biases, LayerNorm, embeddings) does not."""
    decay = {id(m.weight) for m in model.modules() if isinstance(m, nn.Linear)}
    decay -= {id(m.weight) for m in model.modules() if isinstance(m, nn.Embedding)}
    params = list(model.parameters())  # unique: the tied weight appears once
    return [dict(params=[p for p in params if id(p) in decay], weight_decay=weight_decay),
            dict(params=[p for p in params if id(p) not in decay], weight_decay=0.0)]


def learning_rate(step, base, warmup, total):
    """base * min(1, (t+1)/W) * (1 + cos(pi t / T)) / 2, Initium's `--warmup W` with `--schedule cosine`."""
    return base * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * step / total))
