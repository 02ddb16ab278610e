"""Derivatives of the sigmoid and tanh activations, with a chain-rule factor: d/dx σ(a·x), d/dx tanh(a·x).

The answer is an expression. simulate() returns the derivative at SAMPLE_POINTS computed by the
complex-step method (f'(x) ≈ Im f(x + ih)/h, exact to machine precision, no subtraction), from the
activation's definition alone; the tests evaluate the reference expression at the same points.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from quizapp.checking.spec import AnswerSpec, FunctionDef, Mistake, Value
from quizapp.exercises.base import Family, Instance
from quizapp.exercises.families._mathtext import MINUS, bi, param_or_draw, pick, signed_term
from quizapp.i18n import Bilingual

SAMPLE_POINTS: tuple[float, ...] = (-2.3, -0.9, -0.2, 0.4, 1.1, 2.6)
COMPLEX_STEP = 1e-30
FACTORS = (2, 3, 4, -2, -3)
DOMAIN = (("x", (-3.0, 3.0)),)

SIGMA = FunctionDef("sigma", 1, "1/(1 + exp(-a0))", aliases=("σ",))
SECH = FunctionDef("sech", 1, "2/(exp(a0) + exp(-a0))")


def complex_step(f: Any, points: tuple[float, ...]) -> tuple[float, ...]:
    z = np.asarray(points, dtype=np.complex128) + 1j * COMPLEX_STEP
    return tuple(float(v) for v in np.imag(f(z)) / COMPLEX_STEP)


def _ax(a: int) -> str:
    """'2*x' / '-3*x' as typed text."""
    return f"{a}*x"


def _unicode_minus(text: str) -> str:
    return text.replace("-", MINUS)


def _no_chain_factor(a: int) -> Bilingual:
    """Feedback for the right derivative without the inner factor a (the same for both activations)."""
    inner, a_txt = signed_term(a, "x"), _unicode_minus(str(a))
    return bi(
        f"Right shape, but the chain rule multiplies by the derivative of the inner function {inner}, which is {a_txt}.",
        f"形式对了，但链式法则还要乘以内层函数 {inner} 的导数，也就是 {a_txt}。",
    )


def _integrated(antiderivative: str, activation: Bilingual) -> Bilingual:
    return bi(
        f"That is an antiderivative ({antiderivative}): its derivative is {activation.en}. You were asked to differentiate.",
        f"这是原函数（{antiderivative}），它的导数才是 {activation.zh}。题目要求的是求导。",
    )


class _ActivationDerivative(Family):
    """f(x) = act(a·x), asked for f′(x): the draw, spec, prompt frame and simulate() shared by the
    sigmoid and tanh families. A subclass supplies the activation and every activation-specific text."""

    param_defaults: ClassVar[dict[str, Any]] = {"form": None}  # None: forms[0] or "x", drawn per seed
    sample_points = SAMPLE_POINTS
    forms: ClassVar[tuple[str, str]]  # (answer written with the activation, answer written in x)
    typed_name: ClassVar[str]  # how the activation is typed: sigma(…), tanh(…)
    symbol: ClassVar[str]  # how it is shown: σ(…), tanh(…)
    alias: ClassVar[str]  # one letter the learner may write for act(a·x)
    function: ClassVar[FunctionDef]
    definition: ClassVar[Bilingual]  # appended to "Let f(x) = act(a·x)"
    # The authored mistakes: (note, the wrong answer as a template, its feedback); None: the
    # feedback both activations share (no chain factor, integrated). Template fields: {a}, {act}
    # (act(a·x) as typed), {ref} (the reference), {ax} and {neg_ax} (a·x and −a·x as typed).
    wrong_answers: ClassVar[tuple[tuple[str, str, Bilingual | None], ...]]
    antiderivative: ClassVar[tuple[str, Bilingual]]  # its name, and what it is the antiderivative of
    # How to answer (prompt line, short hint) with the activation ({shown}: act(a·x) as shown) and in x.
    how_with: ClassVar[tuple[Bilingual, Bilingual]]
    how_in_x: ClassVar[tuple[Bilingual, Bilingual]]
    alternatives: ClassVar[tuple[str, ...]]  # other right answers; fields {a}, {neg_a}, {four_a}

    @staticmethod
    def activation(z: Any) -> Any:
        raise NotImplementedError

    def _references(self, a: int) -> tuple[str, str]:
        """The answer written with the activation, and written in x only."""
        raise NotImplementedError

    def _mistakes(self, a: int, reference: str) -> tuple[Mistake, ...]:
        fields = {"a": a, "act": self._call(a), "ref": reference, "ax": _ax(a), "neg_ax": _ax(-a)}
        shared = {"no-chain-factor": _no_chain_factor(a), "integrated": _integrated(*self.antiderivative)}
        return tuple(
            Mistake(note, template.format(**fields), feedback or shared[note.split(".", 1)[1]])
            for note, template, feedback in self.wrong_answers
        )

    def _how(self, shown: str, with_activation: bool) -> tuple[Bilingual, Bilingual]:
        """(how to write the answer, for the prompt; the short answer hint)."""
        if not with_activation:
            return self.how_in_x
        how, hint = self.how_with
        return bi(how.en.format(shown=shown), how.zh.format(shown=shown)), hint

    def _solution(self, a: int) -> Bilingual:
        raise NotImplementedError

    def _call(self, a: int) -> str:
        return f"{self.typed_name}({_ax(a)})"

    def draw(self, rng: Any, params: Mapping[str, Any], seed: int) -> Instance:
        form = param_or_draw(rng, params, "form", self.forms)
        a = pick(rng, FACTORS)
        with_activation = form == self.forms[0]
        reference = self._references(a)[0 if with_activation else 1]
        spec = AnswerSpec(
            kind="expression",
            reference=reference,
            variables=("x",),
            functions=(self.function,),
            aliases=((self.alias, self._call(a)),),
            domain=DOMAIN,
        )
        shown = f"{self.symbol}({signed_term(a, 'x')})"
        how, hint = self._how(shown, with_activation)
        prompt = bi(
            f"Let f(x) = {shown}{self.definition.en}.\nFind the derivative f′(x).\n{how.en}",
            f"设 f(x) = {shown}{self.definition.zh}。\n求导数 f′(x)。\n{how.zh}",
        )
        return Instance(
            family=self.name, seed=seed, params=dict(params), values={"form": form, "a": a}, spec=spec,
            mistakes=self._mistakes(a, reference), prompt_text=prompt, solution_text=self._solution(a),
            answer_text=reference, answer_hint=hint,
        )

    def simulate(self, instance: Instance) -> Value:
        a = instance.values["a"]
        return complex_step(lambda z: self.activation(a * z), SAMPLE_POINTS)

    def alternative_answers(self, instance: Instance) -> list[str]:
        a = instance.values["a"]
        return [text.format(a=a, neg_a=-a, four_a=4 * a) for text in self.alternatives]


class SigmoidDerivative(_ActivationDerivative):
    name = "sigmoid_derivative"
    forms = ("sigma", "x")
    typed_name, symbol, alias = "sigma", "σ", "s"
    function = SIGMA
    definition = bi(", where σ(z) = 1/(1 + e^(−z)) is the sigmoid", "，其中 σ(z) = 1/(1 + e^(−z)) 是 sigmoid 函数")

    @staticmethod
    def activation(z: Any) -> Any:
        return 1.0 / (1.0 + np.exp(-z))

    def _references(self, a: int) -> tuple[str, str]:
        s = self._call(a)
        return f"{a}*{s}*(1 - {s})", f"{a}*exp({_ax(-a)})/(1 + exp({_ax(-a)}))^2"

    wrong_answers = (
        ("sigmoid.plus", "{a}*{act}*(1 + {act})", bi(
            "The derivative of σ is σ(1 − σ), not σ(1 + σ): σ′(z) = e^(−z)/(1 + e^(−z))² = σ(z)·(1 − σ(z)).",
            "σ 的导数是 σ(1 − σ)，不是 σ(1 + σ)：σ′(z) = e^(−z)/(1 + e^(−z))² = σ(z)·(1 − σ(z))。",
        )),
        ("sigmoid.squared", "{a}*{act}^2", bi(
            "σ′ = σ(1 − σ) = σ − σ², not σ²: σ² keeps growing towards 1 for large inputs, while the slope of the sigmoid goes to 0 there.",
            "σ′ = σ(1 − σ) = σ − σ²，不是 σ²：输入很大时 σ² 趋近 1，而 sigmoid 的斜率趋近 0。",
        )),
        ("sigmoid.missing-factor", "{a}*(1 - {act})", bi(
            "You dropped a factor σ: e^(−z)/(1 + e^(−z)) equals 1 − σ(z). The quotient rule gives e^(−z)/(1 + e^(−z))², i.e. σ(z)(1 − σ(z)).",
            "漏了一个因子 σ：e^(−z)/(1 + e^(−z)) 就是 1 − σ(z)。按商的求导法则应得 e^(−z)/(1 + e^(−z))²，即 σ(z)(1 − σ(z))。",
        )),
        ("sigmoid.sign", "-({ref})", bi(
            "Check the sign: σ is increasing, so d/dz σ(z) = σ(1 − σ) > 0; the sign of f′ comes only from the factor a.",
            "检查符号：σ 单调递增，所以 σ′(z) = σ(1 − σ) > 0；f′ 的符号只取决于系数 a。",
        )),
        ("sigmoid.no-chain-factor", "{act}*(1 - {act})", None),
        ("sigmoid.integrated", "log(1 + exp({ax}))/({a})", None),
    )
    antiderivative = ("softplus", bi("the sigmoid", "sigmoid"))
    how_with = (bi(
        "Answer with an expression in x written with σ: type σ(…) or sigma(…) with its argument (a bare σ reads as σ(x)); you may write s for {shown}. Any equivalent form is accepted.",
        "用含 σ 的 x 的表达式作答：输入 σ(…) 或 sigma(…) 时要写出自变量（单独的 σ 会被读作 σ(x)），也可以用 s 表示 {shown}。任何等价形式都算对。",
    ), bi("an expression in x, with σ(…) or s", "x 的表达式，可用 σ(…) 或 s"))
    how_in_x = (bi(
        "Answer with an expression in x written with exp, e.g. exp(-x) or e^(-x) (no σ needed); other equivalent forms are accepted too.",
        "用含 exp 的 x 的表达式作答，例如 exp(-x) 或 e^(-x)（不必用 σ）；其他等价形式也算对。",
    ), bi("an expression in x, e.g. with exp(…)", "x 的表达式，例如含 exp(…)"))
    alternatives = (
        "{a}*s*(1-s)",
        "{a}σ({a}x)(1−σ({a}x))",
        "{a}*sigma({a}*x) - {a}*sigma({a}*x)^2",
        "{a}*e^({neg_a}x)/(1+e^({neg_a}x))^2",
        "{a}/(2 + exp({a}*x) + exp({neg_a}*x))",
    )

    def _solution(self, a: int) -> Bilingual:
        sx = signed_term(a, "x")
        sa = f"σ({sx})"
        a_txt = _unicode_minus(str(a))
        a_par = f"({a_txt})" if a < 0 else a_txt
        ex = f"e^({signed_term(-a, 'x')})"
        return bi(
            "1. Derivative of the sigmoid: σ′(z) = e^(−z)/(1 + e^(−z))² = [1/(1 + e^(−z))]·[e^(−z)/(1 + e^(−z))] = σ(z)·(1 − σ(z)).\n"
            f"2. Chain rule with the inner function u = {sx}, du/dx = {a_txt}:\n"
            f"   f′(x) = σ′({sx})·{a_par} = {a_txt}·{sa}·(1 − {sa}).\n"
            f"3. In x only: f′(x) = {a_txt}·{ex}/(1 + {ex})².\n"
            f"Check: σ′ is at most 1/4 (at z = 0), so |f′(x)| ≤ {abs(a)}/4.",
            "1. sigmoid 的导数：σ′(z) = e^(−z)/(1 + e^(−z))² = [1/(1 + e^(−z))]·[e^(−z)/(1 + e^(−z))] = σ(z)·(1 − σ(z))。\n"
            f"2. 链式法则，内层函数 u = {sx}，du/dx = {a_txt}：\n"
            f"   f′(x) = σ′({sx})·{a_par} = {a_txt}·{sa}·(1 − {sa})。\n"
            f"3. 只用 x 表示：f′(x) = {a_txt}·{ex}/(1 + {ex})²。\n"
            f"检验：σ′ 的最大值是 1/4（在 z = 0 处），所以 |f′(x)| ≤ {abs(a)}/4。",
        )


class TanhDerivative(_ActivationDerivative):
    name = "tanh_derivative"
    forms = ("tanh", "x")
    typed_name, symbol, alias = "tanh", "tanh", "t"
    function = SECH
    definition = bi(", where tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))", "，其中 tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))")

    @staticmethod
    def activation(z: Any) -> Any:
        return np.tanh(z)

    @staticmethod
    def _cosh2(a: int) -> str:
        """2·cosh(ax) as typed text."""
        return f"(exp({_ax(a)}) + exp({_ax(-a)}))"

    def _references(self, a: int) -> tuple[str, str]:
        return f"{a}*(1 - {self._call(a)}^2)", f"{4 * a}/{self._cosh2(a)}^2"

    wrong_answers = (
        ("tanh.plus", "{a}*(1 + {act}^2)", bi(
            "tanh′ = 1 − tanh², with a minus: tanh flattens out (derivative → 0) as |x| grows, and 1 + tanh² would grow instead.",
            "tanh′ = 1 − tanh²，是减号：|x| 变大时 tanh 变平（导数趋于 0），而 1 + tanh² 反而会变大。",
        )),
        ("tanh.not-squared", "{a}*(1 - {act})", bi(
            "The tanh is squared: tanh′ = 1 − tanh². 1 − tanh is not even symmetric, but tanh′ is an even function.",
            "tanh 要平方：tanh′ = 1 − tanh²。1 − tanh 连对称性都不对，而 tanh′ 是偶函数。",
        )),
        ("tanh.sigmoid-form", "{a}*{act}*(1 - {act})", bi(
            "That is the sigmoid's pattern σ(1 − σ). For tanh it is 1 − tanh² (tanh(z) = 2σ(2z) − 1).",
            "这是 sigmoid 的形式 σ(1 − σ)。tanh 的导数是 1 − tanh²（tanh(z) = 2σ(2z) − 1）。",
        )),
        ("tanh.sign", "-({ref})", bi(
            "Check the sign: tanh is increasing, so tanh′ = 1 − tanh² > 0; the sign of f′ comes only from a.",
            "检查符号：tanh 单调递增，tanh′ = 1 − tanh² > 0；f′ 的符号只取决于 a。",
        )),
        ("tanh.no-chain-factor", "1 - {act}^2", None),
        ("tanh.sech-not-squared", "{a}*2/(exp({ax}) + exp({neg_ax}))", bi(
            "tanh′ = sech² = 1/cosh², squared; sech alone is the derivative of nothing this simple.",
            "tanh′ = sech² = 1/cosh²，要平方；只写 sech 是不对的。",
        )),
        ("tanh.integrated", "log((exp({ax}) + exp({neg_ax}))/2)/({a})", None),
    )
    antiderivative = ("log cosh", bi("tanh", "tanh"))
    how_with = (bi(
        "Answer with an expression in x written with tanh; you may write t for {shown} (sech is allowed too). Any equivalent form is accepted.",
        "用含 tanh 的 x 的表达式作答；可以用 t 表示 {shown}（也可以用 sech）。任何等价形式都算对。",
    ), bi("an expression in x, with tanh(…) or t", "x 的表达式，可用 tanh(…) 或 t"))
    how_in_x = (bi(
        "Answer with an expression in x written with exp, e.g. exp(x) or e^x (no tanh needed); other equivalent forms are accepted too.",
        "用 exp 写出 x 的表达式作答，例如 exp(x) 或 e^x（不必用 tanh）；其他等价形式也算对。",
    ), bi("an expression in x with exp(…)", "含 exp(…) 的 x 的表达式"))
    alternatives = ("{a}*(1-t^2)", "{a} - {a}tanh({a}x)²", "{a}*sech({a}*x)^2", "{four_a}/(e^({a}x)+e^({neg_a}x))^2")

    def _solution(self, a: int) -> Bilingual:
        sx, a_txt = signed_term(a, "x"), _unicode_minus(str(a))
        ep, em = f"e^({sx})", f"e^({signed_term(-a, 'x')})"
        four_a = _unicode_minus(str(4 * a))
        return bi(
            "1. Quotient rule on tanh = sinh/cosh: tanh′(z) = (cosh² − sinh²)/cosh² = 1 − tanh²(z) = sech²(z).\n"
            f"2. Chain rule with u = {sx}, du/dx = {a_txt}:\n"
            f"   f′(x) = {a_txt}·(1 − tanh²({sx})).\n"
            f"3. In exponentials: cosh(u) = (e^u + e^(−u))/2, so f′(x) = {four_a}/({ep} + {em})².\n"
            f"Check: tanh′ is at most 1 (at z = 0), so |f′(x)| ≤ {abs(a)}.",
            "1. 对 tanh = sinh/cosh 用商的求导法则：tanh′(z) = (cosh² − sinh²)/cosh² = 1 − tanh²(z) = sech²(z)。\n"
            f"2. 链式法则，u = {sx}，du/dx = {a_txt}：\n"
            f"   f′(x) = {a_txt}·(1 − tanh²({sx}))。\n"
            f"3. 用指数表示：cosh(u) = (e^u + e^(−u))/2，所以 f′(x) = {four_a}/({ep} + {em})²。\n"
            f"检验：tanh′ 的最大值是 1（在 z = 0 处），所以 |f′(x)| ≤ {abs(a)}。",
        )


FAMILIES: list[Family] = [SigmoidDerivative(), TanhDerivative()]
