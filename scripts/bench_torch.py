"""The K+1 GAN training step of scripts/bench-backends.ts in PyTorch, for the speed ratio.

    python3 scripts/bench_torch.py [steps] [mlp|dcgan]

Same shapes and work as src/models: mlp = D 784-1000-500-250-250-250-10 with weight norm and
Gaussian noise, G 100-500-500-784 with batch norm; dcgan = D of three pairs of weight-normalised
3x3 convs (stride 1, then 2; 32, 64, 128 channels) with leaky ReLU and dropout, global mean
pooling and a weight-normalised dense head, G dense to 7x7x128 then 5x5 transposed convs to
14x14x64 and 28x28x1 with batch norm. One D update on 100 labelled + 100 unlabelled + 100
generated images, one feature-matching G update; Adam. Prints images per second on its last line.
"""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
arch = sys.argv[2] if len(sys.argv) > 2 else "mlp"
if arch not in ("mlp", "dcgan"):
    sys.exit(f"bench_torch.py: unknown arch {arch!r} (mlp or dcgan)")
B = 100


class D(nn.Module):
    def __init__(self):
        super().__init__()
        dims = [784, 1000, 500, 250, 250, 250]
        self.hidden = nn.ModuleList(weight_norm(nn.Linear(a, b)) for a, b in zip(dims, dims[1:]))
        self.out = weight_norm(nn.Linear(250, 10))

    def forward(self, x):
        h = x + 0.3 * torch.randn_like(x)
        for layer in self.hidden:
            f = F.relu(layer(h))
            h = f + 0.5 * torch.randn_like(f)
        return self.out(h), f


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(100, 500, bias=False)
        self.b1 = nn.BatchNorm1d(500, affine=False)
        self.l2 = nn.Linear(500, 500, bias=False)
        self.b2 = nn.BatchNorm1d(500, affine=False)
        self.out = weight_norm(nn.Linear(500, 784))

    def forward(self, z):
        h = F.softplus(self.b1(self.l1(z)))
        h = F.softplus(self.b2(self.l2(h)))
        return torch.sigmoid(self.out(h))


class ConvD(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [], 1
        for f in (32, 64, 128):
            layers += [weight_norm(nn.Conv2d(c, f, 3, 1, 1)), weight_norm(nn.Conv2d(f, f, 3, 2, 1))]
            c = f
        self.convs = nn.ModuleList(layers)
        self.out = weight_norm(nn.Linear(128, 10))

    def forward(self, x):
        h = F.dropout(x + 0.15 * torch.randn_like(x), 0.2)
        for i, conv in enumerate(self.convs):
            h = F.leaky_relu(conv(h), 0.2)
            if i % 2 == 1 and i < len(self.convs) - 1:
                h = F.dropout(h, 0.3)
        f = h.mean((2, 3))
        return self.out(f), f


class ConvG(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(100, 7 * 7 * 128, bias=False)
        self.b1 = nn.BatchNorm1d(7 * 7 * 128)
        self.d1 = nn.ConvTranspose2d(128, 64, 5, 2, 2, output_padding=1)
        self.b2 = nn.BatchNorm2d(64)
        self.d2 = nn.ConvTranspose2d(64, 1, 5, 2, 2, output_padding=1)

    def forward(self, z):
        h = F.relu(self.b1(self.l1(z))).view(-1, 128, 7, 7)
        h = F.relu(self.b2(self.d1(h)))
        return torch.sigmoid(self.d2(h))


if arch == "mlp":
    d, g = D(), G()
    image, latent = (784,), lambda: torch.rand(B, 100)
else:
    d, g = ConvD(), ConvG()
    image, latent = (1, 28, 28), lambda: torch.rand(B, 100) * 2 - 1
od = torch.optim.Adam(d.parameters(), lr=0.003, betas=(0.5, 0.999))
og = torch.optim.Adam(g.parameters(), lr=0.003, betas=(0.5, 0.999))
x_lab, x_unl, x_unl2 = torch.rand(B, *image), torch.rand(B, *image), torch.rand(B, *image)
y = torch.randint(0, 10, (B,))


def step():
    gen = g(latent()).detach()
    logits, _ = d(torch.cat([x_lab, x_unl, gen]))
    l_lab, l_unl, l_gen = logits[:B], logits[B:2 * B], logits[2 * B:]
    lse_u, lse_g = torch.logsumexp(l_unl, 1), torch.logsumexp(l_gen, 1)
    loss = F.cross_entropy(l_lab, y) + 0.5 * (F.softplus(-lse_u).mean() + F.softplus(lse_g).mean())
    od.zero_grad()
    loss.backward()
    od.step()
    _, f = d(torch.cat([x_unl2, g(latent())]))
    loss_g = ((f[:B].mean(0) - f[B:].mean(0)) ** 2).mean()
    og.zero_grad()
    loss_g.backward()
    og.step()


step()
step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
print(steps * 3 * B / (time.perf_counter() - t0))
