"""The mlp K+1 GAN training step of scripts/bench-backends.ts in PyTorch, for the speed ratio.

Same shapes and work: D 784-1000-500-250-250-250-10 with weight norm and Gaussian noise, G
100-500-500-784 with batch norm; one D update on 100 labelled + 100 unlabelled + 100 generated
images, one feature-matching G update; Adam. Prints images per second on its last line.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm

torch.set_num_threads(1)
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
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


d, g = D(), G()
od = torch.optim.Adam(d.parameters(), lr=0.003, betas=(0.5, 0.999))
og = torch.optim.Adam(g.parameters(), lr=0.003, betas=(0.5, 0.999))
x_lab, x_unl, x_unl2 = torch.rand(B, 784), torch.rand(B, 784), torch.rand(B, 784)
y = torch.randint(0, 10, (B,))


def step():
    gen = g(torch.rand(B, 100)).detach()
    logits, _ = d(torch.cat([x_lab, x_unl, gen]))
    l_lab, l_unl, l_gen = logits[:B], logits[B:2 * B], logits[2 * B:]
    lse_u, lse_g = torch.logsumexp(l_unl, 1), torch.logsumexp(l_gen, 1)
    loss = F.cross_entropy(l_lab, y) + 0.5 * (F.softplus(-lse_u).mean() + F.softplus(lse_g).mean())
    od.zero_grad()
    loss.backward()
    od.step()
    _, f = d(torch.cat([x_unl2, g(torch.rand(B, 100))]))
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
