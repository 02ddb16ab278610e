"""Every UI string of quizapp's front ends (the full-screen app and line mode) in English and
Chinese, looked up by key; plus the one way intervals are written on rating buttons.

Content (cards, notes, feedback) carries its own Bilingual text; this table is only for the
app's own labels. `text(key, lang, **fields)` formats with str.format, so a field value may
contain any character (brackets included) without being read as markup by the caller that
shows it with markup disabled.
"""

from __future__ import annotations

from datetime import timedelta

from quizapp.i18n import Bilingual

B = Bilingual

STRINGS: dict[str, Bilingual] = {
    # app / footer keys (binding descriptions: "key.<binding id>")
    "app.title": B("quizapp", "quizapp 刷题"),
    "app.subtitle": B("deep-learning interview prep", "深度学习面试准备"),
    "key.quit": B("Quit", "退出"),
    "key.help": B("Help", "帮助"),
    "key.palette": B("palette", "命令面板"),
    "key.leave-box": B("Leave box (u/s/q)", "离开输入框（u/s/q）"),
    "key.study-due": B("Review due", "复习到期"),
    "key.study-topic": B("Study topic", "学习主题"),
    "key.open-topic": B("Topic", "主题"),
    "key.stats": B("Stats", "统计"),
    "key.settings": B("Settings", "设置"),
    "key.language": B("中文", "English"),
    "key.reveal": B("Reveal", "显示答案"),
    "key.submit": B("Submit", "提交"),
    "key.accept": B("Accept", "确认"),
    "key.again": B("Again", "重来"),
    "key.hard": B("Hard", "困难"),
    "key.good": B("Good", "良好"),
    "key.easy": B("Easy", "简单"),
    "key.undo": B("Undo", "撤销"),
    "key.skip": B("Skip", "跳过"),
    "key.end": B("End", "结束"),
    "key.back": B("Back", "返回"),
    "key.save": B("Save", "保存"),
    "key.cancel": B("Cancel", "取消"),
    "key.close": B("Close", "关闭"),
    "key.answer-box": B("Type answer", "输入答案"),
    "key.next": B("Next", "下一张"),
    "key.keep-studying": B("Keep studying", "继续学习"),
    "key.undo-ctrl": B("Undo", "撤销"),
    "key.primary": B("Accept", "确认"),
    # dashboard
    "dash.heading": B("Topics", "主题"),
    "dash.col.topic": B("Topic", "主题"),
    "dash.col.new": B("New", "新卡"),
    "dash.col.learning": B("Learn", "学习"),
    "dash.col.review": B("Due", "到期"),  # Anki's deck list: New · Learn · Due (review cards)
    "dash.col.mastery": B("Mastery", "掌握度"),
    "dash.col.last": B("Last studied", "上次学习"),
    "dash.today": B(
        "Today: {reviewed} reviewed in {time} · streak {streak} day(s)",
        "今天：已复习 {reviewed} 张，用时 {time} · 连续 {streak} 天",
    ),
    "dash.totals": B(
        "To study: {new} new · {learning} learning · {review} review",
        "待学：新卡 {new} · 学习中 {learning} · 复习 {review}",
    ),
    "dash.start-hint": B(
        "enter/s: review everything due · select a topic and press enter to study it",
        "enter/s：复习全部到期卡片 · 选中主题后按 enter 单独学习",
    ),
    "dash.never": B("never", "从未"),
    "dash.today-word": B("today", "今天"),
    "dash.yesterday": B("yesterday", "昨天"),
    "dash.days-ago": B("{n} days ago", "{n} 天前"),
    "dash.all-topics": B("All topics", "全部主题"),
    "dash.nothing-due": B("Nothing due right now. Well done!", "现在没有到期的卡片，做得好！"),
    "dash.problems": B(
        "{n} content problem(s) were skipped; run `quizapp validate` for details.",
        "有 {n} 处内容问题已跳过；运行 `quizapp validate` 查看详情。",
    ),
    "dash.user-deck": B("(your deck)", "（自建）"),
    "dash.side.counts": B(
        "{new} new · {learning} learning · {review} review", "新卡 {new} · 学习中 {learning} · 复习 {review}"
    ),
    "dash.side.keys": B(
        "enter: study this topic · t: notes, practice and drills",
        "enter：学习本主题 · t：笔记、练习与专项训练",
    ),
    # study
    "study.counts": B("New {new} · Learning {learning} · Review {review}",
                      "新卡 {new} · 学习中 {learning} · 复习 {review}"),
    "study.answer-as": B("Answer as: {hint}", "作答格式：{hint}"),
    "study.part": B("Part {n} of {total}: {prompt}", "第 {n} 步（共 {total} 步）：{prompt}"),
    "study.part-answer": B("{label} = {text}", "{label} = {text}"),
    "study.box-hint": B("tab or enter: back to the answer box · u/s/q: undo, skip, end",
                        "tab 或 enter：回到输入框 · u/s/q：撤销、跳过、结束"),
    "study.verdict.revealed": B("Answer shown (counts as not known)", "已显示答案（算作没答出）"),
    "study.skipped": B("Skipped", "已跳过"),
    "study.one-at-a-time": B("A session is open already: end it (q) before starting another.",
                             "已有一轮学习在进行：先结束它（q）再开始新的。"),
    "study.bury": B("Buried until tomorrow", "已搁置到明天"),
    "study.flagged": B("Flagged (find it in the browser with flag:1)", "已加旗标（在浏览器中搜索 flag:1）"),
    "study.unflagged": B("Flag removed", "已取消旗标"),
    "study.suspend": B("Suspended: it leaves the queues until you unsuspend it",
                         "已暂停：恢复之前不会再出现"),
    "study.confirm-end": B("End this session? Your {n} answer(s) are saved.",
                           "结束本轮学习？已作答的 {n} 张都已保存。"),
    "practice.forgot": B("1 Forgot", "1 没记住"),
    "practice.knew": B("enter Knew it", "enter 记住了"),
    "practice.next": B("enter Next", "enter 下一张"),
    "kind.short.flashcard": B("Card", "问答"),
    "kind.short.cloze": B("Cloze", "填空"),
    "kind.short.choice": B("Choice", "单选"),
    "kind.short.multi": B("Select", "多选"),
    "kind.short.exercise": B("Exercise", "计算"),
    "study.kind.flashcard": B("Flashcard", "问答卡"),
    "study.kind.cloze": B("Cloze", "填空"),
    "study.kind.choice": B("Multiple choice", "单选题"),
    "study.kind.multi": B("Select all that apply", "多选题（选出所有正确项）"),
    "study.kind.exercise": B("Exercise", "计算题"),
    "study.state.new": B("new", "新"),
    "study.state.learning": B("learning", "学习中"),
    "study.state.review": B("review", "复习"),
    "study.state.relearning": B("relearning", "重新学习"),
    "study.practice": B("practice: schedules unchanged", "练习模式：不改变复习计划"),
    "study.reveal-hint": B("space/enter: show the answer", "空格/enter：显示答案"),
    "study.type-hint": B(
        "Type your answer and press enter (empty enter: just show the answer)",
        "输入答案后按 enter（直接按 enter：只显示答案）",
    ),
    # Same words as study.type-hint since exercises can also be given up with an empty enter;
    # kept as its own key (tests/test_e2e_tmux.py looks it up).
    "study.exercise-hint": B(
        "Type your answer and press enter (empty enter: just show the answer)",
        "输入答案后按 enter（直接按 enter：只显示答案）",
    ),
    "study.choice-hint": B(
        "Press the letter of your answer, then enter", "按选项字母选择，再按 enter 提交"
    ),
    "study.multi-hint": B(
        "Press letters to toggle every correct option, then enter",
        "按字母勾选所有正确选项，再按 enter 提交",
    ),
    "study.rate-hint-checked": B(
        "enter: accept {rating} · 1–4: choose another rating (a checked answer is always recorded)",
        "enter：确认「{rating}」· 1–4：改选评分（检查过的答案都会记录）",
    ),
    "study.rate-hint": B(
        "enter: accept {rating} · 1–4: choose another rating · u: undo",
        "enter：确认「{rating}」· 1–4：改选评分 · u：撤销",
    ),
    "study.choose-first": B(
        "Choose an option first: press its letter.", "请先按字母选择一个选项。"
    ),
    "study.answer-placeholder": B("your answer", "你的答案"),
    "study.interpreted": B("Interpreted as: {text}", "解析为：{text}"),
    "study.checking": B("Checking…", "正在检查…"),
    "study.verdict.correct": B("✓ Correct", "✓ 正确"),
    "study.verdict.wrong": B("✗ Not quite", "✗ 不对"),
    "study.verdict.invalid": B("Could not read that answer", "无法识别这个答案"),
    "study.correct-answer": B("Answer: {text}", "答案：{text}"),
    "study.your-answer": B("You answered: {text}", "你的答案：{text}"),
    "study.solution": B("Worked solution", "解题过程"),
    "study.back": B("Answer", "答案"),
    "study.why": B("Why", "解析"),
    "study.undone": B("Undid the last answer", "已撤销上一个答案"),
    "study.nothing-to-undo": B("Nothing to undo", "没有可撤销的操作"),
    "study.leech": B(
        "This card keeps slipping (leech): it has been suspended.",
        "这张卡片反复遗忘（难点卡），已暂停。",
    ),
    "study.leech-tagged": B(
        "This card keeps slipping (leech): tagged for attention.",
        "这张卡片反复遗忘（难点卡），已标记。",
    ),
    "study.empty": B("Nothing to study here right now.", "这里现在没有要学习的卡片。"),
    "study.check-failed": B(
        "The answer could not be checked: {error}", "无法检查答案：{error}"
    ),
    # line mode (quizapp study --plain)
    "plain.help": B(
        "Flashcard: Enter shows the answer, then 1-4 rates (Enter = Good). Choice: option letters "
        "(\"a c\"). Cloze/exercise: type the answer (empty line shows it). After a check: Enter "
        "accepts the proposed rating, 1-4 changes it. u undo · s skip · @ suspend · - bury until "
        "tomorrow · * flag · q quit · ? help · =x answers a literal x.",
        "卡片：回车显示答案，然后 1-4 评分（回车 = 良好）。选择题：输入选项字母（\"a c\"）。"
        "填空/计算题：输入答案（空行显示答案）。检查之后：回车接受建议评分，1-4 修改。"
        "u 撤销 · s 跳过 · @ 暂停 · - 搁置到明天 · * 旗标 · q 退出 · ? 帮助 · =x 表示答案就是 x。",
    ),
    "plain.start": B("quizapp study: {n} cards to study. Type ? for help.",
                     "quizapp 学习：本轮 {n} 张卡片。输入 ? 查看帮助。"),
    "plain.left": B("{new} new · {learning} learning · {review} review",
                    "新卡 {new} · 学习中 {learning} · 复习 {review}"),
    "plain.practice": B("Practice mode: answers are recorded, schedules do not change.",
                        "练习模式：记录作答，但不改变复习计划。"),
    "plain.show": B("Enter: show the answer", "回车：显示答案"),
    "plain.answer": B("Your answer (empty line: show the answer)", "你的答案（空行：显示答案）"),
    "plain.letters": B("Option letters", "选项字母"),
    "plain.rate": B("Rate", "评分"),
    "plain.enter-accepts": B("Enter = {name}", "回车 = {name}"),
    "plain.practice-flashcard": B("1 = forgot · Enter = knew it", "1 = 没记住 · 回车 = 记住了"),
    "plain.practice-next": B("Enter: next card", "回车：下一张"),
    "plain.correct": B("✓ correct", "✓ 正确"),
    "plain.wrong": B("✗ wrong", "✗ 错误"),
    "plain.invalid": B("? not read", "? 无法识别"),
    "plain.interpreted": B("read as: {x}", "理解为：{x}"),
    "plain.saved": B("saved {key} {rating} next {interval}", "saved {key} {rating} next {interval}"),
    "plain.saved-practice": B("saved {key} {rating} (practice)", "saved {key} {rating} (practice)"),
    "plain.rate-first": B("This answer was checked: rate it first (it is recorded).",
                          "这个答案已经检查过：请先评分（它会被记录）。"),
    "plain.leech": B("This card keeps slipping (a leech): {what}. Consider rewriting or splitting it.",
                     "这张卡片总是忘（难点卡）：{what}。可以考虑改写或拆分。"),
    "plain.leech-suspended": B("it is suspended", "已暂停"),
    "plain.leech-tagged": B("it is tagged", "已标记"),
    "plain.undone": B("undone: {key}", "已撤销：{key}"),
    "plain.bad-rating": B("Type {keys} (or Enter).", "请输入 {keys}（或回车）。"),
    "plain.enter-only": B("Press Enter for the next card (practice: nothing to rate).", "按回车看下一张（练习模式：无需评分）。"),
    "plain.summary": B(
        "Session complete: {answered} answered, {correct} correct ({accuracy:.0%}), {minutes} min. "
        "Due tomorrow: {due}.",
        "本轮完成：作答 {answered} 张，正确 {correct} 张（{accuracy:.0%}），用时 {minutes} 分钟。"
        "明天到期：{due} 张。",
    ),
    "plain.summary-ended": B(
        "Session ended early: {answered} answered, {correct} correct ({accuracy:.0%}), {minutes} min. "
        "Due tomorrow: {due}.",
        "本轮提前结束：作答 {answered} 张，正确 {correct} 张（{accuracy:.0%}），用时 {minutes} 分钟。"
        "明天到期：{due} 张。",
    ),
    "plain.mistakes": B("Most frequent mistakes:", "最常见的错误："),
    "plain.problem": B("note: {p}", "注意：{p}"),
    "rating.1": B("Again", "重来"),
    "rating.2": B("Hard", "困难"),
    "rating.3": B("Good", "良好"),
    "rating.4": B("Easy", "简单"),
    # durations (rating buttons)
    "dur.min": B("{n}m", "{n}分"),
    "dur.hour": B("{n}h", "{n}时"),
    "dur.day": B("{n}d", "{n}天"),
    "dur.month": B("{n}mo", "{n}月"),
    "dur.year": B("{n}y", "{n}年"),
    "dur.now": B("<1m", "<1分"),
    # summary
    "summary.title": B("Session complete", "本轮学习完成"),
    "summary.title-ended": B("Session ended early", "本轮学习提前结束"),
    "summary.answered": B("Answered: {n}", "已回答：{n}"),
    "summary.accuracy": B("Accuracy: {pct}", "正确率：{pct}"),
    "summary.time": B("Time: {time}", "用时：{time}"),
    "summary.due-tomorrow": B("Due tomorrow: {n}", "明天到期：{n}"),
    "summary.mistakes": B("Mistakes you made", "本轮出现的错误"),
    "summary.no-mistakes": B("No wrong answers to name this time.", "这一轮没有可归类的错误答案。"),
    "summary.mistake-line": B("{count}× {text}", "{count} 次：{text}"),
    "summary.back-hint": B("enter/escape: back to the dashboard", "enter/escape：返回主页"),
    # settings
    "settings.title": B("Settings", "设置"),
    "settings.language": B("Language", "语言"),
    "settings.retention": B("Desired retention (0.70–0.99)", "目标记忆保持率（0.70–0.99）"),
    "settings.new": B("New cards per day", "每日新卡上限"),
    "settings.reviews": B("Reviews per day", "每日复习上限"),
    "settings.theme": B("Theme", "主题配色"),
    "settings.saved": B("Settings saved to {path}", "设置已保存到 {path}"),
    "settings.invalid": B("Not saved: {problems}", "未保存：{problems}"),
    "settings.not-number": B("{field} must be a number", "{field} 必须是数字"),
    "settings.retention-range": B(
        "desired retention must be between 0.70 and 0.99", "目标记忆保持率必须在 0.70 到 0.99 之间"
    ),
    "settings.negative": B("{field} must not be negative", "{field} 不能为负数"),
    "settings.save-hint": B(
        "ctrl+s: save · escape: cancel (language and theme preview live)",
        "ctrl+s：保存 · escape：取消（语言和配色会立即预览）",
    ),
    "settings.save-failed": B("Could not save settings: {error}", "无法保存设置：{error}"),
    # help
    "help.title": B("Keys", "快捷键"),
    "help.global": B("Everywhere", "全局"),
    "help.dashboard": B("Dashboard", "主页"),
    "help.study": B("Studying", "学习"),
    "help.close": B("escape or ?: close", "escape 或 ?：关闭"),
    "help.k.palette": B("command palette: every action and every topic", "命令面板：所有操作和主题"),
    "help.k.quit": B("quit (answers are saved as soon as you rate them)", "退出（评分后答案立即保存）"),
    "help.k.help": B("this help", "本帮助"),
    "help.k.study-due": B("review everything due", "复习所有到期卡片"),
    "help.k.study-row": B("study the selected topic (from the table)", "学习选中的主题（在表格中）"),
    "help.k.topic": B("open the selected topic: notes, items, practice, drill", "打开选中的主题：笔记、卡片、练习、专项训练"),
    "help.k.stats": B("statistics", "统计"),
    "help.k.settings": B("settings", "设置"),
    "help.k.language": B("switch language", "切换语言"),
    "help.k.reveal": B("show the answer", "显示答案"),
    "help.k.rate": B("rate: Again, Hard, Good, Easy (the next interval is on each button)", "评分：重来、困难、良好、简单（按钮上显示下次间隔）"),
    "help.k.accept": B("accept the proposed rating (a checked answer must be rated: s and u wait)", "确认建议评分（已检查的答案必须评分：s 和 u 要等评分之后）"),
    "help.k.letters": B("choose or toggle an option (choice questions)", "选择或勾选选项（选择题）"),
    "help.k.undo": B("undo the last answer", "撤销上一个答案"),
    "help.k.skip": B("skip this card for now", "暂时跳过这张卡片"),
    "help.k.end": B("end the session (progress is kept; a checked answer is recorded)", "结束本轮（进度已保存；已检查的答案会记录）"),
    "help.k.leave-box": B(
        "typing: leave the answer box (then u, s, q, @, - and * are keys again)",
        "输入时：离开答案框（之后 u、s、q、@、-、* 又是快捷键）",
    ),
    "help.k.focus": B("back into the answer box (before answering)", "回到答案框（作答之前）"),
    "help.k.submit": B("typing: submit the answer (empty: just show the answer)", "输入时：提交答案（空答案：只显示答案）"),
    "help.k.arrows": B("move through the options; space toggles the one under the cursor", "在选项间移动；空格选中/取消光标所在的选项"),
    "help.k.bury-card": B("bury this card until tomorrow (a checked answer is recorded first)", "把这张卡片搁置到明天（已检查的答案先记录）"),
    "help.k.flag-card": B("flag or unflag this card (red, as in Anki)", "给这张卡片加上或取消旗标（红色，同 Anki）"),
    "help.k.suspend-card": B("suspend this card (a checked answer is recorded first)", "暂停这张卡片（已检查的答案先记录）"),
    "help.k.end-confirm": B("end the session, after asking", "结束本轮（会先确认）"),
    "help.k.tabs": B("notes / items", "笔记 / 卡片"),
    "help.topic": B("Topic screen", "主题页"),
    "help.k.topic-study": B("study this topic (due and new cards)", "学习本主题（到期卡片和新卡）"),
    "help.k.practice": B("practice without changing any schedule", "练习（不改变复习计划）"),
    "help.k.drill": B("exercise drill: fresh instances of one exercise", "计算题专项训练：同一类题的新实例"),
    "help.k.suspend": B("suspend or unsuspend the highlighted card", "暂停或恢复选中的卡片"),
    "help.k.back": B("back", "返回"),
    # Section titles share the key column: no wider than "space  enter".
    "help.other": B("Elsewhere", "其他页面"),
    "help.k.refresh": B("refresh the statistics (stats screen)", "刷新统计（统计页）"),
    "help.k.save": B("save the settings (settings screen)", "保存设置（设置页）"),
    # palette
    "cmd.study-due": B("Review everything due", "复习所有到期卡片"),
    "cmd.study-topic": B("Study: {title}", "学习：{title}"),
    "cmd.open-topic": B("Topic: {title}", "主题：{title}"),
    "cmd.practice-topic": B("Practice (no schedule change): {title}", "练习（不改变计划）：{title}"),
    "cmd.drill": B("Exercise drill: {family} ({title})", "专项训练：{family}（{title}）"),
    "cmd.help.drill": B(
        "Fresh instances of one exercise; schedules unchanged", "同一类计算题的新实例；不改变复习计划"
    ),
    "cmd.stats": B("Statistics", "统计"),
    "cmd.settings": B("Settings", "设置"),
    "cmd.help": B("Help: keys", "帮助：快捷键"),
    "cmd.language": B("Switch language to 中文", "切换语言为 English"),
    "cmd.dashboard": B("Dashboard", "主页"),
    "cmd.quit": B("Quit", "退出"),
    "cmd.help.study-due": B("Due reviews first, then new cards", "先复习到期卡片，再学新卡"),
    "cmd.help.topic": B("Notes, items and drills", "笔记、卡片与专项训练"),
    # misc
    "misc.error": B("Something went wrong: {error}", "出错了：{error}"),
    # ---- stats and topic screens
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
        "mastery = the share of the topic you would still recall a month from now without studying "
        "(mean predicted recall in 30 days over all its cards; unseen cards count 0) · coverage = cards studied",
        "掌握度 = 不再复习时一个月后仍能记住的比例（全部卡片 30 天后预测回忆率的平均值；未学卡片计 0）"
        "· 覆盖率 = 已学卡片比例",
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
    "key.show-notes": B("Notes", "笔记"),
    "key.show-items": B("Items", "卡片"),
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
        "n / i: notes / items · s: study this topic · p: practice (no schedule change) · d: exercise drill · x: suspend/unsuspend the card · escape: back",
        "n / i：笔记 / 卡片 · s：学习本主题 · p：练习（不改变计划）· d：计算题专项训练 · x：暂停/恢复这张卡片 · escape：返回",
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


# ---- browser, add form, editing (search engineer) --------------------------------------------
STRINGS.update({
    "key.browse": B("Browse", "浏览"),
    "key.search": B("Search", "搜索"),
    "key.select": B("Select", "选择"),
    "key.actions": B("Actions", "操作"),
    "key.edit": B("Edit", "编辑"),
    "key.add": B("Add", "添加"),
    "key.details": B("Details", "详情"),
    "key.results": B("Results", "结果"),
    "key.sort": B("Sort", "排序"),
    "browse.title": B("Browse cards", "浏览卡片"),
    "browse.placeholder": B("search: tag:followup is:due -kind:cloze \"exact words\"",
                            "搜索：tag:followup is:due -kind:cloze \"完整短语\""),
    "browse.count": B("{n} cards", "{n} 张卡片"),
    "browse.count-capped": B("{n} cards, first {shown} shown", "{n} 张卡片，显示前 {shown} 张"),
    "browse.selected": B("{n} selected", "已选 {n} 张"),
    "browse.sorted": B("sorted by {column} {arrow}", "按{column}{arrow}"),
    "browse.order": B("library order", "内容顺序"),
    "browse.error": B("column {column}: {message}", "第 {column} 列：{message}"),
    "browse.col.sel": B("✓", "✓"),
    "browse.col.card": B("Card", "卡片"),
    "browse.col.topic": B("Topic", "主题"),
    "browse.col.kind": B("Kind", "类型"),
    "browse.col.state": B("State", "状态"),
    "browse.col.due": B("Due", "到期"),
    "browse.col.interval": B("Ivl", "间隔"),
    "browse.col.recall": B("Recall", "回忆率"),
    "browse.col.lapses": B("Lapses", "遗忘"),
    "browse.col.stability": B("Stab", "稳定性"),
    "browse.col.difficulty": B("Diff", "难度"),
    "browse.col.key": B("Key", "编号"),
    "browse.col.flag": B("Flag", "旗标"),
    "browse.col.reps": B("Reps", "次数"),
    "browse.due.days": B("{n:+d}d", "{n:+d}天"),
    "browse.due.today": B("today", "今天"),
    "browse.none": B("—", "—"),
    "browse.state.buried": B("buried", "已搁置"),
    "browse.flag.0": B("no flag", "无旗标"),
    "browse.flag.1": B("red", "红"),
    "browse.flag.2": B("orange", "橙"),
    "browse.flag.3": B("green", "绿"),
    "browse.flag.4": B("blue", "蓝"),
    "browse.detail.empty": B("No card matches the search.", "没有符合搜索的卡片。"),
    "browse.detail.front": B("Front", "正面"),
    "browse.detail.back": B("Back", "背面"),
    "browse.detail.exercise": B(
        "A computed exercise ({family}): a fresh instance each time it is studied.",
        "计算题（{family}）：每次学习都会生成新的题目。",
    ),
    "browse.detail.facts": B(
        "due {due} · interval {interval} · stability {stability} · difficulty {difficulty} · "
        "reps {reps} · lapses {lapses} · recall now {recall}",
        "到期 {due} · 间隔 {interval} · 稳定性 {stability} · 难度 {difficulty} · "
        "作答 {reps} 次 · 遗忘 {lapses} 次 · 当前回忆率 {recall}",
    ),
    "browse.detail.source": B("file {file}:{line}", "文件 {file}:{line}"),
    "browse.detail.builtin": B("(built in: e edits a copy in your deck)", "（内置：按 e 编辑你卡组中的副本）"),
    "browse.history": B("History", "作答记录"),
    "browse.history.none": B("Never answered.", "还没有作答记录。"),
    "browse.history.date": B("Date", "日期"),
    "browse.history.rating": B("Rating", "评分"),
    "browse.history.answer": B("Answer", "作答"),
    "browse.history.verdict": B("Verdict", "判定"),
    "browse.history.interval": B("Interval", "间隔"),
    "browse.history.practice": B("practice", "练习"),
    "browse.curve": B("Forgetting curve: recall over days (● answers, │ today)",
                      "遗忘曲线：回忆率随天数变化（● 作答，│ 今天）"),
    "browse.curve.none": B("No curve yet: the card has no memory state.", "暂无曲线：这张卡片还没有记忆状态。"),
    "browse.curve.days": B("days", "天"),
    "browse.curve.recall": B("recall", "回忆率"),
    "browse.done.suspend": B("Suspended {n} card(s)", "已暂停 {n} 张卡片"),
    "browse.done.unsuspend": B("Unsuspended {n} card(s)", "已恢复 {n} 张卡片"),
    "browse.done.bury": B("Buried {n} card(s) until tomorrow", "已搁置 {n} 张卡片到明天"),
    "browse.done.unbury": B("Unburied {n} card(s)", "已取消搁置 {n} 张卡片"),
    "browse.done.flag": B("Flag {flag} on {n} card(s)", "{n} 张卡片设为{flag}"),
    "browse.done.forget": B("{n} card(s) back to new (history kept)", "{n} 张卡片已重置为新卡（保留记录）"),
    "browse.done.due": B("{n} card(s) now due {when}", "{n} 张卡片改为 {when} 到期"),
    "browse.done.due-new": B("New cards keep their place: a due date needs a studied card.",
                             "新卡保持原位：只有学过的卡片才能设置到期日。"),
    "browse.nothing": B("No card to act on.", "没有可操作的卡片。"),
    "browse.action.title": B("Actions on {n} card(s)", "对 {n} 张卡片执行操作"),
    "browse.action.suspend": B("x  Suspend / unsuspend", "x  暂停 / 恢复"),
    "browse.action.bury": B("-  Bury until tomorrow / unbury", "-  搁置到明天 / 取消搁置"),
    "browse.action.flag": B("f  Flag (red, orange, green, blue)", "f  旗标（红、橙、绿、蓝）"),
    "browse.action.forget": B("n  Forget: back to new (history kept)", "n  遗忘：重置为新卡（保留记录）"),
    "browse.action.due": B("d  Set due date", "d  设置到期日"),
    "browse.action.study": B("s  Study these now (custom study)", "s  现在学习这些卡片（自定义学习）"),
    "browse.action.edit": B("e  Edit the highlighted card in your editor", "e  在编辑器中修改当前卡片"),
    "browse.action.add": B("a  Add a card", "a  添加卡片"),
    "browse.action.select": B("space  Select / unselect · ctrl+a all · ctrl+d none",
                              "space  选择/取消 · ctrl+a 全选 · ctrl+d 全不选"),
    "browse.action.sort": B("o  Sort by the next column · O reverse", "o  按下一列排序 · O 反向"),
    "browse.action.details": B("enter  Details full screen (again: back)", "enter  全屏详情（再按返回）"),
    "browse.flag.title": B("Flag {n} card(s)", "给 {n} 张卡片设旗标"),
    "browse.due.title": B("Due date for {n} card(s)", "{n} 张卡片的到期日"),
    "browse.due.prompt": B("Due in how many days? (0 = today)", "几天后到期？（0 = 今天）"),
    "browse.due.bad": B("Type a whole number of days from 0 to 36500.", "请输入 0 到 36500 之间的整数天数。"),
    "browse.forget.confirm": B(
        "Forget {n} card(s)? They go back to new; their history is kept.",
        "遗忘 {n} 张卡片？它们会重置为新卡，作答记录保留。",
    ),
    "browse.custom.title": B("Study {n} card(s)", "学习 {n} 张卡片"),
    "browse.custom.reschedule": B("Study them now (answers reschedule them)", "现在学习（作答会重新安排复习）"),
    "browse.custom.practice": B("Practice (no schedule change)", "练习（不改变复习计划）"),
    "browse.custom.ahead": B("Study ahead: those due within 7 days", "提前学习：7 天内到期的"),
    "browse.custom.forgotten": B("Forgotten today: those answered Again today", "今天遗忘的：今天答错的"),
    "browse.custom.empty": B("No card to study with that choice.", "按这个选择没有可学习的卡片。"),
    "confirm.yes": B("Yes", "确定"),
    "confirm.no": B("Cancel", "取消"),
    "edit.builtin": B(
        "Built-in cards are read-only. Copy “{id}” into your deck “My edits” and edit the copy? "
        "Your copy replaces the built-in card; your progress is kept.",
        "内置卡片是只读的。把“{id}”复制到你的卡组“我修改过的内置卡片”中再编辑吗？"
        "你的副本会替换内置卡片，学习进度保留。",
    ),
    "edit.copy": B("Copy and edit", "复制并编辑"),
    "edit.no-editor": B("No editor found: set $VISUAL or $EDITOR.", "找不到编辑器：请设置 $VISUAL 或 $EDITOR。"),
    "edit.failed": B("The editor could not run: {error}", "无法启动编辑器：{error}"),
    "edit.missing": B("Card {key} is not in the loaded content.", "已加载的内容中没有卡片 {key}。"),
    "edit.problems": B(
        "Not loaded (the previous version stays in use until the file is fixed):\n{problems}",
        "未加载（修复文件之前继续使用旧版本）：\n{problems}",
    ),
    "edit.reloaded": B("Decks reloaded: {cards} cards", "卡组已重新加载：{cards} 张卡片"),
    "add.title": B("Add a card", "添加卡片"),
    "add.kind": B("Kind", "类型"),
    "add.deck": B("Deck", "卡组"),
    "add.new-deck": B("New deck named:", "新卡组名称："),
    "add.new-deck-option": B("+ a new deck", "+ 新建卡组"),
    "add.new-deck-placeholder": B("e.g. My interview notes", "例如：我的面试笔记"),
    "add.id": B("Id (empty: made from the text)", "编号（留空则根据文字生成）"),
    "add.tags": B("Tags (separated by spaces)", "标签（用空格分隔）"),
    "add.front": B("Front", "正面"),
    "add.back": B("Back", "背面"),
    "add.text": B("Text with deletions {{c1::answer}}", "带填空的文字 {{c1::答案}}"),
    "add.extra": B("Extra (shown with the answer, optional)", "补充（与答案一起显示，可选）"),
    "add.question": B("Question", "问题"),
    "add.options": B(
        "Options, one per line: text | why; start the correct one(s) with *",
        "选项，每行一个：选项 | 解析；正确选项以 * 开头",
    ),
    "add.reverse": B("Also a reverse card (back → front)", "同时生成反向卡片（背面 → 正面）"),
    "add.family": B("Exercise family", "计算题类型"),
    "add.preview": B("Preview (card 1 of each deletion)", "预览（每个填空一张卡片）"),
    "add.preview-none": B("No deletion yet: mark one as {{c1::answer}}.", "还没有填空：用 {{c1::答案}} 标出。"),
    "add.options-mismatch": B(
        "Both languages need the same number of options ({en} in English, {zh} in Chinese).",
        "两种语言的选项数量必须相同（英文 {en} 个，中文 {zh} 个）。",
    ),
    "add.no-deck": B("Name the new deck first.", "请先给新卡组起个名字。"),
    "add.saved": B("Added {id} to {file}:{line}", "已把 {id} 添加到 {file}:{line}"),
    "add.invalid": B("Not saved:\n{problems}", "未保存：\n{problems}"),
    "add.hint": B("ctrl+s: save · escape: cancel · tab: next field", "ctrl+s：保存 · escape：取消 · tab：下一项"),
    "settings.decks": B("Your decks: {path} (quizapp new-deck NAME starts one)",
                        "你的卡组：{path}（用 quizapp new-deck 名称 新建）"),
    "cmd.browse": B("Browse cards", "浏览卡片"),
    "cmd.add": B("Add a card", "添加卡片"),
    "cmd.help.browse": B("Search every card, see its history and curve, change it", "搜索所有卡片，查看记录与曲线并修改"),
    "help.browse": B("Browser", "浏览"),
    "help.k.browse": B("browse and search every card (everywhere)", "浏览和搜索所有卡片（任何页面）"),
    "help.k.search": B("type a search (free text, tag:, is:due, prop:r<0.8 …)", "输入搜索（文字、tag:、is:due、prop:r<0.8 …）"),
    "help.k.select": B("select cards (ctrl+a all, ctrl+d none)", "选择卡片（ctrl+a 全选，ctrl+d 全不选）"),
    "help.k.actions": B("actions: suspend x, bury -, flag f, forget n, due date d, study s", "操作：暂停 x、搁置 -、旗标 f、遗忘 n、到期日 d、学习 s"),
    "help.k.edit": B("edit the card in $EDITOR (built-in: a copy in your deck)", "在 $EDITOR 中编辑（内置卡片：复制到你的卡组）"),
    "help.k.add": B("add a card to one of your decks", "向你的卡组添加卡片"),
})


def text(key: str, lang: str, /, **fields: object) -> str:
    """The UI string for key in lang; the key itself if missing (visible, never a crash)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    value = entry.get(lang)
    return value.format(**fields) if fields else value


def interval_text(delta: timedelta, lang: str) -> str:
    """An interval as on Anki's buttons: <1m, 10m, 3h, 4d, 1.5mo, 1.1y (10分, 4天 in Chinese)."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return text("dur.now", lang)
    minutes = seconds / 60
    if minutes < 60:
        return text("dur.min", lang, n=round(minutes))
    hours = minutes / 60
    if hours < 24:
        return text("dur.hour", lang, n=round(hours))
    days = hours / 24
    if days < 30:
        return text("dur.day", lang, n=round(days))
    if days < 365:
        return text("dur.month", lang, n=round(days / 30, 1 if days < 90 else None))
    return text("dur.year", lang, n=round(days / 365, 1))
