"""Published tutorials and examples, run with autograd_nb in place of PyTorch.

Each program below is written here, in our own words, to use the API calls of one public tutorial or example
family the way it uses them (its name says which). It runs twice, once with ``torch`` bound to autograd_nb and
once with PyTorch, both drawing the same random numbers (``same_numbers.pytorch_draws_from_autograd_nb``), and
the two printouts must agree line by line: the same text, the same numbers to within float32 rounding.
"""
import math
import random
from functools import partial

import pytest

import autograd_nb as nb
from tests.same_numbers import assert_same_lines, printed, pytorch_draws_from_autograd_nb


def gentle_introduction_to_autograd(torch):
    """PyTorch tutorial "A Gentle Introduction to torch.autograd": Q = 3a³ - b², backward with an external
    gradient, the DAG's exclusion of tensors that need no gradient, freezing a pretrained model's layers."""
    nn, optim = torch.nn, torch.optim
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = torch.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    print(9 * a**2 == a.grad)
    print(-2 * b == b.grad)
    print(Q.grad_fn, Q.grad_fn.next_functions)

    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)
    a = x + y
    print(f"Does `a` require gradients?: {a.requires_grad}")
    b = x + z
    print(f"Does `b` require gradients?: {b.requires_grad}")

    model = nn.Sequential(nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4))  # stands in for a pretrained network
    for param in model.parameters():
        param.requires_grad = False
    model[2] = nn.Linear(6, 3)  # a new classifier: the only part that learns
    optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    data, labels = torch.rand(2, 8), torch.rand(2, 3)
    for step in range(3):
        prediction = model(data)
        loss = (prediction - labels).sum()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    print([(name, p.requires_grad, p.grad) for name, p in model.named_parameters()])
    print(model[2].weight)


def autograd_quickstart(torch):
    """PyTorch tutorial "Automatic Differentiation with torch.autograd": a one-layer network with
    binary_cross_entropy_with_logits, grad_fn, gradients, no_grad and detach, Jacobian products with
    retain_graph and zero_."""
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")
    loss.backward()
    print(w.grad)
    print(b.grad)
    z = torch.matmul(x, w) + b
    print(z.requires_grad)
    with torch.no_grad():
        z = torch.matmul(x, w) + b
    print(z.requires_grad)
    z_det = (torch.matmul(x, w) + b).detach()
    print(z_det.requires_grad)

    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp + 1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"First call\n{inp.grad}")
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\nSecond call\n{inp.grad}")
    inp.grad.zero_()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\nCall after zeroing gradients\n{inp.grad}")


def autograd_mechanics(torch):
    """PyTorch note "Autograd mechanics": saved tensors (``_saved_self`` is the input, ``_saved_result`` a new
    object), saved tensors hooks, excluding parts of a model (requires_grad_, eval, no_grad, inference_mode), the
    in-place correctness check, tensor and node hooks."""
    x = torch.randn(5, requires_grad=True)
    y = x.pow(2)
    print(x.equal(y.grad_fn._saved_self), x is y.grad_fn._saved_self)
    y = x.exp()
    print(y.equal(y.grad_fn._saved_result), y is y.grad_fn._saved_result)

    def pack_hook(t):
        print("packing", tuple(t.shape))
        return t

    def unpack_hook(t):
        print("unpacking", tuple(t.shape))
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
        y = x.sin() * x
    y.sum().backward()
    print(x.grad)

    model = torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    model[0].requires_grad_(False)
    model.eval()  # changes no recording
    out = model(x)
    print(out.requires_grad, model.training, [p.requires_grad for p in model.parameters()])
    with torch.no_grad():
        print(model(x).requires_grad)
    with torch.inference_mode():
        inferred = model(x)
    print(inferred.requires_grad, inferred.is_inference())

    a = torch.randn(3, requires_grad=True)
    b = a.sigmoid()
    b.mul_(2)
    try:
        b.sum().backward()
    except RuntimeError as e:
        print(str(e).split(" Hint")[0])

    v = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    h = v.register_hook(lambda grad: grad * 2)
    v.backward(torch.tensor([1.0, 2.0, 3.0]))
    print(v.grad)
    h.remove()
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    m = w * w
    m.grad_fn.register_prehook(lambda grad_outputs: print("before MulBackward0:", grad_outputs))
    m.grad_fn.register_hook(lambda grad_inputs, grad_outputs: print("after MulBackward0:", grad_inputs))
    m.sum().backward()
    print(isinstance(m.grad_fn, torch.autograd.graph.Node))


def extending_autograd(torch):
    """PyTorch note "Extending PyTorch" (custom autograd.Function): a linear Function in the setup_context style
    with needs_input_grad and gradcheck, a Function with a non-tensor argument, the combined style with
    mark_non_differentiable, and an in-place Function with mark_dirty."""

    class LinearFunction(torch.autograd.Function):
        @staticmethod
        def forward(input, weight, bias):
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def setup_context(ctx, inputs, output):
            input, weight, bias = inputs
            ctx.save_for_backward(input, weight, bias)

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    linear = LinearFunction.apply
    inputs = (torch.randn(4, 3, dtype=torch.double, requires_grad=True),
              torch.randn(2, 3, dtype=torch.double, requires_grad=True),
              torch.randn(2, dtype=torch.double, requires_grad=True))
    print(torch.autograd.gradcheck(linear, inputs, eps=1e-6, atol=1e-4))
    out = linear(*inputs)
    out.sum().backward()
    print(out.grad_fn, inputs[2].grad)

    class MulConstant(torch.autograd.Function):
        @staticmethod
        def forward(tensor, constant):
            return tensor * constant

        @staticmethod
        def setup_context(ctx, inputs, output):
            _, constant = inputs
            ctx.constant = constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

    t = torch.tensor([1.0, 2.0], requires_grad=True)
    MulConstant.apply(t, 5.0).sum().backward()
    print(t.grad)

    class Sort(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            values, indices = x.max(0)
            ctx.mark_non_differentiable(indices)
            ctx.save_for_backward(indices, torch.tensor(x.shape[0]))
            return values, indices

        @staticmethod
        def backward(ctx, grad_values, grad_indices):
            indices, n = ctx.saved_tensors
            grad = torch.zeros(int(n), *grad_values.shape)
            grad[indices] = grad_values
            return grad

    s = torch.tensor([3.0, 7.0, 5.0], requires_grad=True)
    values, indices = Sort.apply(s)
    values.backward()
    print(values, indices, indices.requires_grad, s.grad)

    class Double_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2

    leaf = torch.tensor([1.0, -1.0], requires_grad=True)
    y = leaf * 3
    Double_.apply(y).sum().backward()
    print(y, y.grad_fn, leaf.grad)


def learning_pytorch_with_examples(torch):
    """PyTorch tutorial "Learning PyTorch with Examples": fit a cubic to sin(x) with tensors and hand-written
    gradients, with autograd, with a custom Function (the Legendre polynomial P3), with nn and manual updates,
    with optim, with a custom Module, and with a dynamic network (control flow and weight sharing)."""
    dtype, device = torch.float, torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
    y = torch.sin(x)

    # tensors: gradients by hand
    a, b, c, d = (torch.randn((), device=device, dtype=dtype) for _ in range(4))
    learning_rate = 1e-4
    for t in range(100):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 25 == 24:
            print(t, f"{loss:.4f}")
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a, grad_b = grad_y_pred.sum(), (grad_y_pred * x).sum()
        grad_c, grad_d = (grad_y_pred * x**2).sum(), (grad_y_pred * x**3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    print(f"Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3")

    # autograd
    a, b, c, d = (torch.randn((), dtype=dtype, requires_grad=True) for _ in range(4))
    for t in range(100):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        if t % 50 == 49:
            print(t, f"{loss.item():.4f}")
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None

    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    a, b = torch.full((), 0.0, requires_grad=True), torch.full((), -1.0, requires_grad=True)
    c, d = torch.full((), 0.0, requires_grad=True), torch.full((), 0.3, requires_grad=True)
    P3 = LegendrePolynomial3.apply
    for t in range(100):
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= 5e-6 * p.grad
                p.grad = None
    print(f"P3 fit: {loss.item():.4f}, y = {a.item():.4f} + {b.item():.4f} * P3({c.item():.4f} + {d.item():.4f} x)")

    # nn, updates by hand
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    for t in range(100):
        loss = loss_fn(model(xx), y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= 1e-6 * param.grad
    linear_layer = model[0]
    print(f"nn: y = {linear_layer.bias.item():.4f} + {linear_layer.weight[:, 0].item():.4f} x + "
          f"{linear_layer.weight[:, 1].item():.4f} x^2 + {linear_layer.weight[:, 2].item():.4f} x^3")

    # optim
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    for t in range(100):
        loss = loss_fn(model(xx), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"optim: {loss.item():.4f}")

    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x**2 + self.d * x**3

        def string(self):
            return f"y = {self.a.item():.4f} + {self.b.item():.4f} x + {self.c.item():.4f} x^2 + {self.d.item():.4f} x^3"

    model = Polynomial3()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    for t in range(100):
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"Module: {model.string()}")

    class DynamicNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c, self.d, self.e = (torch.nn.Parameter(torch.randn(())) for _ in range(5))

        def forward(self, x):
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for exp in range(4, random.randint(4, 6)):
                y = y + self.e * x**exp
            return y

    model = DynamicNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    for t in range(60):
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"dynamic: {loss.item():.4f}", sorted(name for name, _ in model.named_parameters()))


def quickstart_build_and_optimize(torch):
    """PyTorch tutorials "Build the Neural Network" and "Optimizing Model Parameters": the device line,
    a NeuralNetwork module with Flatten and a Sequential stack, its repr and parameters, Softmax on the logits,
    then train and test loops with CrossEntropyLoss and SGD over batches, train() and eval()."""
    nn = torch.nn
    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    print(f"Using {device} device")
    cuda_device = "cuda" if torch.cuda.is_available() else "cpu"
    print(cuda_device, torch.backends.mps.is_available())

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(nn.Linear(6 * 6, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                                   nn.Linear(32, 4))

        def forward(self, x):
            x = self.flatten(x)
            return self.linear_relu_stack(x)

    model = NeuralNetwork().to(device)
    print(model)
    X = torch.rand(1, 6, 6, device=device)
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    print(f"Predicted class: {y_pred}")
    for name, param in model.named_parameters():
        print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")

    images = torch.rand(64, 6, 6)
    labels = (images[:, :2].sum((1, 2)) * 4).long().clamp(0, 3)  # a learnable rule for 4 classes
    batch_size = 16
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-1)

    def train_loop():
        model.train()
        for batch in range(len(images) // batch_size):
            X, y = images[batch * batch_size:(batch + 1) * batch_size], labels[batch * batch_size:(batch + 1) * batch_size]
            pred = model(X.to(device))
            loss = loss_fn(pred, y.to(device))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if batch % 2 == 0:
                print(f"loss: {loss.item():>7f}  [{(batch + 1) * batch_size:>5d}/{len(images):>5d}]")

    def test_loop():
        model.eval()
        test_loss, correct = 0, 0
        with torch.no_grad():
            pred = model(images)
            test_loss += loss_fn(pred, labels).item()
            correct += (pred.argmax(1) == labels).type(torch.float).sum().item()
        print(f"Test Error: \n Accuracy: {(100 * correct / len(images)):>0.1f}%, Avg loss: {test_loss:>8f} \n")

    for t in range(3):
        print(f"Epoch {t + 1}\n-------------------------------")
        train_loop()
        test_loop()
    print("Done!")


def forward_mode_ad(torch):
    """PyTorch tutorial "Forward-mode Automatic Differentiation": dual tensors (the tangent kept as given, a
    transposed one copied), jvp through a function, through a Module by swapping its parameters for duals and
    with func.functional_call, a custom Function with jvp checked by gradcheck(check_forward_ad=True), and the
    functional torch.func.jvp."""
    fwAD = torch.autograd.forward_ad
    primal = torch.randn(10, 10)
    tangent = torch.randn(10, 10)

    def fn(x, y):
        return x**2 + y**2

    with fwAD.dual_level():
        dual_input = fwAD.make_dual(primal, tangent)
        print(fwAD.unpack_dual(dual_input).tangent is tangent)
        dual_input_alt = fwAD.make_dual(primal, tangent.T)
        print(fwAD.unpack_dual(dual_input_alt).tangent is not tangent)
        plain_tensor = torch.randn(10, 10)
        dual_output = fn(dual_input, plain_tensor)
        jvp = fwAD.unpack_dual(dual_output).tangent
        print(jvp[0, :4])
    print(fwAD.unpack_dual(dual_output).tangent is None)

    model = torch.nn.Linear(5, 5)
    input = torch.randn(16, 5)
    params = {name: p for name, p in model.named_parameters()}
    tangents = {name: torch.rand_like(p) for name, p in params.items()}
    with fwAD.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fwAD.make_dual(p, tangents[name]))
        out = model(input)
        jvp = fwAD.unpack_dual(out).tangent
    print(jvp[:2])

    model = torch.nn.Linear(5, 5)
    dual_params = {}
    with fwAD.dual_level():
        for name, p in params.items():
            dual_params[name] = fwAD.make_dual(p, tangents[name])
        out = torch.func.functional_call(model, dual_params, input)
        jvp = fwAD.unpack_dual(out).tangent
    print(jvp[:2])

    class Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            result = torch.exp(foo)
            ctx.result = result
            return result

        @staticmethod
        def jvp(ctx, gI):
            gO = gI * ctx.result
            del ctx.result
            return gO

    fn = Fn.apply
    primal = torch.randn(10, 10, dtype=torch.double, requires_grad=True)
    tangent = torch.randn(10, 10)
    with fwAD.dual_level():
        dual_input = fwAD.make_dual(primal, tangent)
        dual_output = fn(dual_input)
        jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp[0, :3])
    print(torch.autograd.gradcheck(Fn.apply, (primal,), check_forward_ad=True, check_backward_ad=False,
                                   check_undefined_grad=False, check_batched_grad=False))

    x = torch.randn(3)
    t = torch.ones(3)
    value, jvp_out = torch.func.jvp(torch.sin, (x,), (t,))
    print(torch.allclose(jvp_out, torch.cos(x)), value.equal(torch.sin(x)))


def torch_func_jacobians_hessians(torch):
    """PyTorch tutorial "Jacobians, Hessians, hvp, vhp, and more: composing function transforms": a tanh layer's
    Jacobian row by row with autograd.grad, then with vjp and vmap, jacrev (argnums), batched with vmap and
    in_dims, jacfwd, hessian, and hvp as jvp of grad."""
    F = torch.nn.functional
    from_func = torch.func

    def predict(weight, bias, x):
        return F.linear(x, weight, bias).tanh()

    D = 8
    weight = torch.randn(D, D)
    bias = torch.randn(D)
    x = torch.randn(D)

    xp = x.clone().requires_grad_()
    unit_vectors = torch.eye(D)

    def compute_jac(xp):
        jacobian_rows = [torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors.unbind()]
        return torch.stack(jacobian_rows)

    jacobian = compute_jac(xp)
    print(jacobian.shape, jacobian[0, :3])

    _, vjp_fn = from_func.vjp(partial(predict, weight, bias), x)
    (ft_jacobian,) = from_func.vmap(vjp_fn)(unit_vectors)
    print(torch.allclose(ft_jacobian, jacobian))
    ft_jacobian = from_func.jacrev(predict, argnums=2)(weight, bias, x)
    print(torch.allclose(ft_jacobian, jacobian))
    ft_jac_weight, ft_jac_bias = from_func.jacrev(predict, argnums=(0, 1))(weight, bias, x)
    print(ft_jac_weight.shape, ft_jac_bias.shape, ft_jac_bias[0, :3])

    batch_size = 4
    x_batch = torch.randn(batch_size, D)
    compute_batch_jacobian = from_func.vmap(from_func.jacrev(predict, argnums=2), in_dims=(None, None, 0))
    batch_jacobian0 = compute_batch_jacobian(weight, bias, x_batch)
    print(batch_jacobian0.shape)
    jacfwd_jacobian = from_func.jacfwd(predict, argnums=2)(weight, bias, x)
    print(torch.allclose(jacfwd_jacobian, jacobian, atol=1e-6))

    hess_api = from_func.hessian(predict, argnums=2)(weight, bias, x)
    hess_fwdrev = from_func.jacfwd(from_func.jacrev(predict, argnums=2), argnums=2)(weight, bias, x)
    print(hess_api.shape, torch.allclose(hess_api, hess_fwdrev, atol=1e-6), hess_api[0, 0, :3])

    def hvp(f, primals, tangents):
        return from_func.jvp(from_func.grad(f), primals, tangents)[1]

    def f(x):
        return x.sin().sum()

    x = torch.randn(5)
    tangent = torch.randn(5)
    print(torch.allclose(hvp(f, (x,), (tangent,)), -x.sin() * tangent, atol=1e-6))


def saved_tensors_hooks_tutorial(torch):
    """PyTorch tutorial "Hooks for autograd saved tensors": what gets saved (``_saved_self``, the result's new
    object), pack/unpack hooks that print, that keep a copy, that store tensors elsewhere (a dict here, where the
    tutorial writes files), per-tensor hooks with ``_raw_saved_self.register_hooks``, hooks around one module,
    and save_on_cpu."""
    a = torch.randn(5, requires_grad=True)
    y = a.pow(2)
    print(y.grad_fn._saved_self is a, y.grad_fn._saved_exponent)
    y = a.exp()
    print(y.equal(y.grad_fn._saved_result), y is y.grad_fn._saved_result)

    def pack_hook(x):
        print("Packing", x)
        return x

    def unpack_hook(x):
        print("Unpacking", x)
        return x

    a = torch.ones(5, requires_grad=True)
    b = torch.ones(5, requires_grad=True) * 2
    with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
        y = a * b
    y.sum().backward()

    storage = {}

    def pack_to_store(tensor):
        name = f"saved-{len(storage)}"
        storage[name] = tensor.clone()
        return name

    def unpack_from_store(name):
        return storage[name]

    x = torch.randn(5, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack_to_store, unpack_from_store):
        y = x.pow(2).sin()
    y.sum().backward()
    print(sorted(storage), torch.allclose(x.grad, 2 * x * (x**2).cos()))

    x = torch.randn(5, requires_grad=True)
    y = x.pow(2)
    y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
    y.sum().backward()
    print(x.grad.equal(2 * x))

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.first = torch.nn.Linear(4, 4)
            self.second = torch.nn.Linear(4, 2)

        def forward(self, x):
            with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
                h = self.first(x).tanh()
            return self.second(h)

    model = Model()
    model(torch.ones(1, 4)).sum().backward()
    print(model.first.weight.grad)

    with torch.autograd.graph.save_on_cpu(pin_memory=False):
        z = x.exp() * x
    z.sum().backward()
    print(torch.allclose(x.grad, 2 * x + (x.exp() + x * x.exp())))


def profiler_recipe(torch):
    """PyTorch recipe "Profiling your PyTorch Module" / "PyTorch Profiler": profile a model's inference with
    activities, record_shapes and record_function, then read key_averages().table() sorted by CPU time, grouped by
    input shapes, and the events of a training step. The times differ from run to run and between the two
    libraries, so what is printed is what both report: the table's columns and the rows of the named block."""
    from_profiler = torch.profiler
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    inputs = torch.randn(5, 8)
    with from_profiler.profile(activities=[from_profiler.ProfilerActivity.CPU], record_shapes=True) as prof:
        with from_profiler.record_function("model_inference"):
            model(inputs)

    def rows(table):
        lines = table.splitlines()
        return lines[1].split(), [line.split()[0] + " " + line.split()[-1] for line in lines[3:-2]
                                  if line.split()[0] == "model_inference"]

    print(rows(prof.key_averages().table(sort_by="cpu_time_total", row_limit=10)))
    print(rows(prof.key_averages(group_by_input_shape=True).table(sort_by="cpu_time_total", row_limit=10)))

    with torch.autograd.profiler.profile() as prof:
        with torch.autograd.profiler.record_function("train_step"):
            loss = model(inputs).pow(2).mean()
            loss.backward()
    names = [e.name for e in prof.function_events]
    print(names[0], [n for n in names if n.startswith("autograd::engine") and "Addmm" in n])


def d2l_automatic_differentiation(torch):
    """d2l.ai, chapter "Automatic Differentiation": y = 2xᵀx, resetting the gradient, sums, backward of a
    non-scalar with a gradient argument, detaching computation, and gradients through Python control flow."""
    x = torch.arange(4.0)
    x.requires_grad_(True)
    print(x.grad)
    y = 2 * torch.dot(x, x)
    print(y)
    y.backward()
    print(x.grad, x.grad == 4 * x)
    x.grad.zero_()
    y = x.sum()
    y.backward()
    print(x.grad)
    x.grad.zero_()
    y = x * x
    y.backward(gradient=torch.ones(len(y)))
    print(x.grad)
    x.grad.zero_()
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    print(x.grad == u)
    x.grad.zero_()
    y.sum().backward()
    print(x.grad == 2 * x)

    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c

    a = torch.randn(size=(), requires_grad=True)
    d = f(a)
    d.backward()
    print(a.grad == d / a)


def micrograd_demo(torch):
    """karpathy/micrograd's checks against PyTorch and its demo: scalar expressions in double precision with
    relu, powers and division, then a small MLP of relu layers trained with a max-margin loss, L2 regularization
    and updates through ``.data``."""
    a = torch.Tensor([-3.0]).double()
    b = torch.Tensor([1.5]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    print(f"{g.data.item():.6f} {a.grad.item():.6f} {b.grad.item():.6f}")

    points = torch.randn(40, 2)
    targets = (points[:, 0] * points[:, 1] > 0).double() * 2 - 1  # labels -1 and 1
    layers = [torch.randn(2, 8) / 2, torch.zeros(8), torch.randn(8, 8) / 3, torch.zeros(8), torch.randn(8, 1) / 3,
              torch.zeros(1)]
    params = [p.double().requires_grad_() for p in layers]

    def mlp(x):
        h = (x.double() @ params[0] + params[1]).relu()
        h = (h @ params[2] + params[3]).relu()
        return (h @ params[4] + params[5]).squeeze(1)

    for k in range(30):
        scores = mlp(points)
        losses = (1 + -targets * scores).relu()
        data_loss = losses.mean()
        reg_loss = 1e-4 * sum((p * p).sum() for p in params)
        total_loss = data_loss + reg_loss
        accuracy = ((targets > 0) == (scores > 0)).double().mean()
        for p in params:
            p.grad = None
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 30
        for p in params:
            p.data -= learning_rate * p.grad
        if k % 10 == 0:
            print(f"step {k} loss {total_loss.item():.6f}, accuracy {accuracy.item() * 100:.1f}%")


PROGRAMS = [gentle_introduction_to_autograd, autograd_quickstart, autograd_mechanics, extending_autograd,
            learning_pytorch_with_examples, quickstart_build_and_optimize, forward_mode_ad,
            torch_func_jacobians_hessians, saved_tensors_hooks_tutorial, profiler_recipe,
            d2l_automatic_differentiation, micrograd_demo]


def _run(program, lib):
    nb.manual_seed(0)
    random.seed(0)
    return printed(program, lib)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_tutorial_prints_the_same_as_pytorch(program, torch):
    ours = _run(program, nb)
    with pytorch_draws_from_autograd_nb(torch):
        theirs = _run(program, torch)
    assert len(theirs) >= 3  # (something to compare: the shortest, the profiler recipe, prints three lines)
    assert_same_lines(ours, theirs, program.__name__)
