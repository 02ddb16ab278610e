"""A StatsReport as plain text (the `quizapp stats` output), in English or Chinese."""

from __future__ import annotations

from quizapp.i18n import Bilingual
from quizapp.stats.report import StatsReport

B = Bilingual

LABELS: dict[str, Bilingual] = {
    "title": B("quizapp statistics — {date}", "quizapp 学习统计 — {date}"),
    "today": B(
        "Today: {reviews} answers ({again} Again), {new} new cards, {minutes} min",
        "今天：回答 {reviews} 次（重来 {again} 次），新卡 {new} 张，用时 {minutes} 分钟",
    ),
    "streak": B("Streak: {n} day(s) · {total} answers in all", "连续学习：{n} 天 · 累计回答 {total} 次"),
    "cards": B(
        "Cards: {total} in all — {new} new, {learning} learning, {review} review, "
        "{relearning} relearning, {suspended} suspended, {leech} leeches",
        "卡片：共 {total} 张 — 新 {new}，学习中 {learning}，复习 {review}，重新学习 {relearning}，"
        "暂停 {suspended}，难点卡 {leech}",
    ),
    "activity": B("Last 12 weeks (answers per week, oldest first): {weeks}", "最近 12 周（每周回答次数，从早到晚）：{weeks}"),
    "forecast": B("Due in the next 30 days (today first): {days}", "未来 30 天到期（从今天起）：{days}"),
    "retention": B("True retention (target {target}):", "真实记忆保持率（目标 {target}）："),
    "retention-row": B("  last {days} days: {rate} of {n} reviews", "  最近 {days} 天：{rate}（共 {n} 次复习）"),
    "retention-empty": B("  last {days} days: no reviews yet", "  最近 {days} 天：暂无复习"),
    "none": B("—", "—"),
    "topics": B(
        "Topics (mastery = mean predicted recall a month from now, unseen cards 0; coverage = cards studied):",
        "主题（掌握度 = 一个月后的平均预测回忆率，未学卡片计 0；覆盖率 = 学过的卡片）：",
    ),
    "due": B("Due now: {new} new · {learning} learning · {review} review",
             "现在到期：新卡 {new} · 学习中 {learning} · 复习 {review}"),
    "topic-row": B("  {title}: mastery {mastery}, coverage {coverage} ({seen}/{cards}), {due} due",
                   "  {title}：掌握度 {mastery}，覆盖率 {coverage}（{seen}/{cards}），{due} 张到期"),
    "families": B("Exercise accuracy:", "计算题正确率："),
    "family-row": B("  {title}: {accuracy} of {n}", "  {title}：{accuracy}（共 {n} 次）"),
    "no-exercises": B("  no exercises answered yet", "  还没有做过计算题"),
    "mistakes": B("Most common mistakes:", "最常见的错误："),
    "no-mistakes": B("  none yet", "  暂无"),
    "calibration": B(
        "Calibration on your log: predicted recall is off by {rmse} on average "
        "(RMSE), log loss {loss}, over {n} reviews (predicted {pred}, actual {obs})",
        "在你的记录上的校准：预测回忆率平均偏差 {rmse}（RMSE），对数损失 {loss}，"
        "共 {n} 次复习（预测 {pred}，实际 {obs}）",
    ),
    "no-calibration": B("Calibration: not enough reviews yet", "校准：复习次数还不够"),
}


def label(key: str, lang: str, **fields: object) -> str:
    return LABELS[key].get(lang).format(**fields)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def render_text(rep: StatsReport, lang: str) -> str:
    counts = rep.card_counts
    weeks = [sum(d.reviews for d in rep.heatmap[i:i + 7]) for i in range(len(rep.heatmap) - 84, len(rep.heatmap), 7)]
    lines = [
        label("title", lang, date=rep.today.isoformat()),
        label("today", lang, reviews=rep.reviews_today, again=rep.again_today, new=rep.new_today,
              minutes=round(rep.seconds_today / 60)),
        label("streak", lang, n=rep.streak_days, total=rep.total_reviews),
        label("due", lang, **rep.due.to_dict()),
        label("cards", lang, **{k: counts.get(k, 0) for k in
                                ("total", "new", "learning", "review", "relearning", "suspended", "leech")}),
        label("activity", lang, weeks=" ".join(str(w) for w in weeks)),
        label("forecast", lang, days=" ".join(str(n) for n in rep.forecast)),
        "",
        label("retention", lang, target=pct(rep.desired_retention)),
    ]
    for window in rep.retention:
        if window.retention.rate is None:
            lines.append(label("retention-empty", lang, days=window.days))
            continue
        lines.append(label("retention-row", lang, days=window.days, rate=pct(window.retention.rate),
                           n=window.retention.reviews))
    lines += ["", label("topics", lang)]
    for t in rep.topics:
        lines.append(label("topic-row", lang, title=t.title.get(lang), mastery=pct(t.mastery),
                           coverage=pct(t.coverage), seen=t.seen, cards=t.cards, due=t.due))
    lines += ["", label("families", lang)]
    if not rep.families:
        lines.append(label("no-exercises", lang))
    for f in rep.families:
        lines.append(label("family-row", lang, title=f.title.get(lang), accuracy=pct(f.accuracy), n=f.attempts))
    lines += ["", label("mistakes", lang)]
    if not rep.top_mistakes:
        lines.append(label("no-mistakes", lang))
    lines += ["  " + m.sentence(lang) for m in rep.top_mistakes]
    lines.append("")
    cal = rep.calibration
    if cal is None:
        lines.append(label("no-calibration", lang))
    else:
        lines.append(label("calibration", lang, rmse=f"{cal.rmse * 100:.1f} {'个百分点' if lang == 'zh' else 'pp'}", loss=f"{cal.log_loss:.3f}",
                           n=cal.reviews, pred=pct(cal.mean_predicted), obs=pct(cal.observed)))
    return "\n".join(lines) + "\n"
