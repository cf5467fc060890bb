"""``RMSprop``: divide each weight's step by a running root mean square of its gradients.

For each parameter θ with gradient g (γ = lr, α = alpha, λ = weight_decay, μ = momentum):

    g ← g + λ θ                              (weight decay)
    v ← α v + (1 - α) g²                     (the running mean of g², v₀ = 0)
    ḡ ← ḡ + (1 - α)(g - ḡ)                   (centered only: the running mean of g, ḡ₀ = 0; then
                                              v - ḡ² replaces v below: a running variance)
    d = √v + ε
    b ← μ b + g / d,   θ ← θ - γ b           (with momentum, b₀ = 0)
    θ ← θ - γ g / d                          (without)

Weights whose gradients are large take small steps and the other way round. The operations run in
PyTorch's order (its single-tensor implementation), so the results agree with PyTorch's up to rounding.
PyTorch: ``torch.optim.RMSprop``.
"""
from .. import creation
from ..grad_mode import no_grad
from .optimizer import Optimizer, check_settings


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes), optionally centered and with momentum."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_settings(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        if differentiable:
            raise NotImplementedError("autograd_nb's optimizers do not support differentiable=True")
        # capturable and foreach choose between PyTorch's implementations of the same arithmetic: kept so
        # param_groups and the repr read as PyTorch's, without effect here
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss (or None)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = creation.tensor(0.0)
                    state["square_avg"] = creation.zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = creation.zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = creation.zeros_like(p)
                g = -p.grad if group["maximize"] else p.grad
                state["step"] += 1
                if group["weight_decay"] != 0:
                    g = g.add(p, alpha=group["weight_decay"])
                square_avg = state["square_avg"]
                square_avg.mul_(alpha).add_(g * (1 - alpha) * g)  # v = αv + (1-α)g²
                if group["centered"]:
                    grad_avg = state["grad_avg"]
                    grad_avg.add_((g - grad_avg) * (1 - alpha))
                    avg = (square_avg - grad_avg * grad_avg).sqrt()
                else:
                    avg = square_avg.sqrt()
                avg = avg + eps
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    buf.mul_(momentum).add_(g / avg)
                    p.add_(buf, alpha=-lr)
                else:
                    p.add_(g * -lr / avg)
        return loss
