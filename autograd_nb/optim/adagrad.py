"""``Adagrad``: each weight's step shrinks with the sum of all its squared gradients so far.

For each parameter θ with gradient g, at step t = 1, 2, ... (γ = lr, λ = weight_decay, η = lr_decay):

    g ← g + λ θ                      (weight decay)
    γₜ = γ / (1 + (t - 1) η)         (a learning rate that decays with the step count)
    s ← s + g²                       (s₀ = initial_accumulator_value)
    θ ← θ - γₜ g / (√s + ε)

Weights that have seen large gradients slow down for good, which suits sparse features. The state is
made for every parameter when the optimizer is built (as PyTorch does), so ``state_dict()`` lists it at
once. PyTorch: ``torch.optim.Adagrad`` (its single-tensor implementation, in the same order).
"""
from .. import creation
from ..grad_mode import no_grad
from .optimizer import Optimizer, check_settings


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011)."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_settings(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                       initial_accumulator_value=initial_accumulator_value, eps=eps)
        if differentiable:
            raise NotImplementedError("autograd_nb's optimizers do not support differentiable=True")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = creation.tensor(0.0)
                state["sum"] = creation.full_like(p, initial_accumulator_value)

    @no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                state["step"] += 1
                t = state["step"].item()
                g = -p.grad if group["maximize"] else p.grad
                if group["weight_decay"] != 0:
                    g = g.add(p, alpha=group["weight_decay"])
                clr = group["lr"] / (1 + (t - 1) * group["lr_decay"])
                state["sum"].add_(g * g)
                std = state["sum"].sqrt() + group["eps"]
                p.add_(g * -clr / std)
        return loss
