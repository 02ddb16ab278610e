"""UI strings of the stats and topic screens, merged into quizapp.tui.strings.STRINGS on import.

Kept apart from strings.py so the two UI engineers never edit the same table at once.
"""

from __future__ import annotations

from quizapp.i18n import Bilingual
from quizapp.tui import strings

B = Bilingual

STATS_STRINGS: dict[str, Bilingual] = {
    # stats screen
    "key.refresh": B("Refresh", "刷新"),
    "stats.title": B("Statistics", "学习统计"),
    "stats.loading": B("Computing your statistics…", "正在计算统计数据…"),
    "stats.failed": B("Could not compute the statistics: {error}", "无法计算统计数据：{error}"),
    "stats.today": B(
        "Today: {reviews} answers ({again} Again) · {new} new · {minutes} min · streak {streak} day(s) · {total} answers in all",
        "今天：回答 {reviews} 次（重来 {again} 次）· 新卡 {new} 张 · {minutes} 分钟 · 连续 {streak} 天 · 累计 {total} 次",
    ),
    "stats.cards": B(
        "Cards: {total} — {new} new · {learning} learning · {review} review · {relearning} relearning · {suspended} suspended · {leech} leeches",
        "卡片：{total} 张 — 新 {new} · 学习中 {learning} · 复习 {review} · 重新学习 {relearning} · 暂停 {suspended} · 难点卡 {leech}",
    ),
    "stats.heatmap": B("Activity: the last 365 days", "学习记录：最近 365 天"),
    "stats.heatmap-caption": B(
        "{days} study days · busiest day {peak} answers", "学习 {days} 天 · 单日最多 {peak} 次"
    ),
    "stats.forecast": B("Due in the next 30 days", "未来 30 天到期"),
    "stats.forecast-caption": B(
        "today {today} (incl. overdue) · next 7 days {week} · next 30 days {month} · busiest day {peak}",
        "今天 {today}（含逾期）· 7 天内 {week} · 30 天内 {month} · 最多的一天 {peak}",
    ),
    "stats.forecast-axis": B("today", "今天"),
    "stats.mastery": B("Mastery per topic", "各主题掌握度"),
    "stats.mastery-note": B(
        "mastery = mean predicted recall now (unseen cards count 0) · coverage = cards studied",
        "掌握度 = 当前平均预测回忆率（未学卡片计 0）· 覆盖率 = 已学卡片比例",
    ),
    "stats.col.topic": B("Topic", "主题"),
    "stats.col.mastery": B("Mastery", "掌握度"),
    "stats.col.coverage": B("Coverage", "覆盖率"),
    "stats.col.due": B("Due", "到期"),
    "stats.retention": B("True retention vs your target", "真实记忆保持率与目标"),
    "stats.retention-note": B(
        "target {target}; ± = difference from it · reviews of cards in the review state; pass = Hard, Good or Easy",
        "目标 {target}；± 为与目标之差 · 只计复习阶段的卡片；通过 = 困难、良好或简单",
    ),
    "stats.retention-row": B("last {days} days", "最近 {days} 天"),
    "stats.retention-n": B("{n} reviews", "{n} 次"),
    "stats.retention-none": B("no reviews yet", "暂无复习"),
    "stats.retention-vs": B("{diff}", "{diff}"),
    "stats.exercises": B("Exercise accuracy", "计算题正确率"),
    "stats.exercise-n": B("{correct}/{n}", "{correct}/{n}"),
    "stats.no-exercises": B("No exercises answered yet.", "还没有做过计算题。"),
    "stats.mistakes": B("Your most common mistakes", "你最常见的错误"),
    "stats.no-mistakes": B("No mistakes recorded yet.", "还没有错误记录。"),
    "stats.calibration": B("Calibration: predicted vs actual recall", "校准：预测与实际回忆率"),
    "stats.calibration-summary": B(
        "Over {n} reviews the scheduler predicted {pred} recall and you recalled {obs}. Predictions are off by {rmse} on average (RMSE); log loss {loss} (FSRS with default parameters typically scores ≈0.37).",
        "在 {n} 次复习中，调度器预测回忆率 {pred}，实际 {obs}。预测平均偏差 {rmse}（RMSE）；对数损失 {loss}（默认参数的 FSRS 通常约为 0.37）。",
    ),
    "stats.calibration-none": B(
        "Not enough reviews yet: this needs {min} reviews of cards last seen on an earlier day.",
        "复习次数还不够：需要至少 {min} 次隔天复习的记录。",
    ),
    "stats.calibration-bin": B("predicted {lo}–{hi}", "预测 {lo}–{hi}"),
    "stats.calibration-cols": B("bin · actual recall · reviews", "区间 · 实际回忆率 · 次数"),
    "stats.pp": B("{n} pp", "{n} 个百分点"),
    # topic screen
    "key.practice": B("Practice", "练习"),
    "key.drill": B("Drill", "专项训练"),
    "key.study-this": B("Study", "学习"),
    "key.suspend": B("Suspend", "暂停"),
    "topic.notes": B("Notes", "笔记"),
    "topic.items": B("Items", "卡片"),
    "topic.col.item": B("Item", "卡片"),
    "topic.col.kind": B("Kind", "类型"),
    "topic.col.state": B("State", "状态"),
    "topic.col.due": B("Due", "到期"),
    "topic.state.new": B("new", "新"),
    "topic.state.learning": B("learning", "学习中"),
    "topic.state.review": B("review", "复习"),
    "topic.state.relearning": B("relearning", "重新学习"),
    "topic.state.suspended": B("suspended", "已暂停"),
    "topic.state.leech": B("leech", "难点卡"),
    "topic.due.now": B("now", "现在"),
    "topic.due.today": B("today", "今天"),
    "topic.due.in-days": B("in {n} d", "{n} 天后"),
    "topic.due.none": B("—", "—"),
    "topic.counts": B(
        "{cards} cards · {due} due · {new} new · mastery {mastery}",
        "{cards} 张卡片 · {due} 张到期 · {new} 张新卡 · 掌握度 {mastery}",
    ),
    "topic.hint": B(
        "s: study this topic · p: practice (no schedule change) · d: exercise drill · x: suspend/unsuspend the card · escape: back",
        "s：学习本主题 · p：练习（不改变计划）· d：计算题专项训练 · x：暂停/恢复这张卡片 · escape：返回",
    ),
    "topic.no-notes": B("This topic has no notes.", "这个主题没有笔记。"),
    "topic.no-exercises": B("This topic has no exercises to drill.", "这个主题没有可训练的计算题。"),
    "topic.missing": B("Topic {id} is not in the loaded content.", "内容中没有主题 {id}。"),
    "topic.drill-title": B("Exercise drill: choose a family", "计算题专项训练：选择题型"),
    "topic.drill-hint": B(
        "enter: {n} fresh exercises (no schedule change) · escape: cancel",
        "enter：{n} 道新题（不改变计划）· escape：取消",
    ),
}

strings.STRINGS.update(STATS_STRINGS)
