"""The exercise families by name, as plain data: the content validator reads this without
importing numpy or sympy. Each entry: module (under quizapp.exercises.families), topic id,
and the parameters an exercise item in YAML may set (name -> allowed values)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CatalogEntry:
    module: str
    topic: str
    params: dict[str, tuple[object, ...]] = field(default_factory=dict)


CATALOG: dict[str, CatalogEntry] = {
    # 1 backpropagation
    "sigmoid_derivative": CatalogEntry("activations", "backpropagation", {"form": ("sigma", "x")}),
    "tanh_derivative": CatalogEntry("activations", "backpropagation", {"form": ("tanh", "x")}),
    "backprop_mlp": CatalogEntry("backprop", "backpropagation", {"parts": (False, True)}),
    "bias_gradient": CatalogEntry("bias_gradient", "backpropagation", {"layer": ("linear", "conv", "linear_bn")}),
    "softmax_gradient": CatalogEntry("softmax_gradient", "backpropagation", {"loss": ("ce", "mse")}),
    # 2 exponential moving average
    "ema": CatalogEntry("ema", "moving-average", {"corrected": (True, False), "parts": (False, True)}),
    "adam_step": CatalogEntry("adam", "moving-average"),
    # 3 fine-tuning
    "finetune_params": CatalogEntry("finetune", "fine-tuning"),
    "finetune_memory": CatalogEntry(
        "finetune_memory", "fine-tuning", {"method": ("full", "lora"), "precision": ("fp32", "mixed")}
    ),
    # 4 FLOPs
    "matmul_flops": CatalogEntry("flops", "flops"),
    "matmul_flops_formula": CatalogEntry("flops", "flops"),
    "conv_output_size": CatalogEntry("conv", "flops"),
    "conv_cost": CatalogEntry("conv", "flops", {"quantity": ("params", "macs", "flops"), "parts": (False, True)}),
    "attention_flops": CatalogEntry("attention_cost", "flops", {"form": ("number", "formula")}),
    # 5 FPS
    "fps_latency": CatalogEntry("fps", "fps"),
    # 6 CNN vs Transformer
    "attention_vs_conv_params": CatalogEntry("attention", "cnn-vs-transformer"),
    "transformer_params": CatalogEntry("transformer_params", "cnn-vs-transformer", {"question": ("block", "model")}),
    "kv_cache_memory": CatalogEntry("attention_cost", "cnn-vs-transformer", {"attention": ("mha", "gqa")}),
    # 7 PyTorch computation graph
    "grad_accumulation": CatalogEntry("autograd", "pytorch-graph"),
    # 8 CNN overfitting
    "dropout_scaling": CatalogEntry("regularization", "cnn-overfitting"),
    "weight_decay_step": CatalogEntry("regularization", "cnn-overfitting"),
    # 9 receptive field
    "receptive_field": CatalogEntry("receptive_field", "receptive-field"),
    "rf_center": CatalogEntry("rf_center", "receptive-field", {"question": ("center", "first")}),
    # 11 problem types
    "classification_metrics": CatalogEntry(
        "metrics", "problem-types", {"metric": ("precision", "recall", "f1", "accuracy")}
    ),
    "regression_metrics": CatalogEntry("metrics", "problem-types", {"metric": ("mse", "r2")}),
    "box_iou": CatalogEntry("detection", "problem-types"),
    "ranked_ap": CatalogEntry("detection", "problem-types", {"method": ("interpolated", "raw")}),
    # 12 weight sharing
    "conv_vs_fc_params": CatalogEntry("weight_sharing", "weight-sharing"),
    "grouped_conv_cost": CatalogEntry(
        "grouped_conv", "weight-sharing",
        {"kind": ("grouped", "depthwise", "separable"), "quantity": ("params", "macs")},
    ),
    # 13 spatial invariance
    "shift_equivariance": CatalogEntry("equivariance", "spatial-invariance"),
    # 14 data normalization
    "normalization": CatalogEntry("normalization", "data-normalization", {"method": ("minmax", "zscore", "l2")}),
    "norm_params": CatalogEntry("norm_layers", "data-normalization", {"count": ("params", "buffers")}),
    # 15 a loss that keeps growing
    "gd_divergence": CatalogEntry("optimization", "growing-loss"),
    "grad_clipping": CatalogEntry("optimization", "growing-loss"),
    "lr_schedule": CatalogEntry("lr_schedule", "growing-loss", {"phase": ("warmup", "decay")}),
}


def family_names() -> list[str]:
    return sorted(CATALOG)
