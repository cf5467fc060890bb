"""``SGD``: stochastic gradient descent, with optional weight decay, momentum and Nesterov momentum.

For each parameter θ with gradient g, step t (γ = lr, λ = weight_decay, μ = momentum, τ = dampening):

    g ← g + λ θ                          (weight decay: the gradient of λ/2 ‖θ‖²)
    b ← g                   at t = 1     (momentum buffer: starts as the first gradient, not 0)
    b ← μ b + (1 - τ) g     at t > 1
    g ← g + μ b   (nesterov)   or   g ← b   (plain momentum)
    θ ← θ - γ g

With μ = 0 it is just θ ← θ - γ (g + λ θ). PyTorch: ``torch.optim.SGD`` (the same rule, in the same
order, as its single-tensor implementation).
"""
from ..grad_mode import no_grad
from .optimizer import Optimizer


class SGD(Optimizer):
    """θ ← θ - lr · g, with g optionally decayed and smoothed by momentum (see the module docstring)."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if differentiable:
            raise NotImplementedError("autograd_nb's optimizers do not support differentiable=True")
        # foreach and fused choose between PyTorch's faster implementations of the same arithmetic;
        # they are kept so param_groups and the repr read as PyTorch's, and have no effect here.
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov = group["weight_decay"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:  # no gradient (unused, frozen, or zero_grad set it to None): skip
                    continue
                g = -p.grad if group["maximize"] else p.grad

                if weight_decay != 0:
                    g = g.add(p, alpha=weight_decay)  # g + λθ: a new tensor, p.grad is left alone

                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = g.detach().clone()  # first step: b = g
                        state["momentum_buffer"] = buf
                    else:
                        buf.mul_(momentum).add_(g, alpha=1 - dampening)  # b = μb + (1-τ)g, in place
                    g = g.add(buf, alpha=momentum) if nesterov else buf

                p.add_(g, alpha=-lr)  # θ = θ - γg, in place: the same Parameter object, new values
        return loss
