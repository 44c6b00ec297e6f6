"""The course file (`studygen.yaml`): what to build, and the course's own look and wording.

These types are the shared contract between the build pipeline and the
renderers (fields may be added with defaults, never renamed).  They do no
I/O: `studygen.sources.coursefile.load_course` reads and validates the file.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from studygen.model import NO_SPAN, Question, QuestionType, Span

K = TypeVar("K")

# Every fixed word a handout prints comes from here, so a course can run in Korean or Russian
# by overriding `labels:` in studygen.yaml.
DEFAULT_LABELS: dict[str, str] = {
    "name": "Name",
    "student_id": "Student ID",
    "version": "Version",
    "quiz": "Quiz",
    "answer_key": "Answer key",
    "instructions": "Answer every question. For multiple-choice questions circle the letter of the one best answer; "
    "where a question says 'select all that apply', circle every correct letter.",
    "page_x_of_y": "Page {page} of {pages}",
    "points": "points",
    "point": "point",
    "total_points": "Total points",
    "select_all": "Select all that apply.",
    "true": "True",
    "false": "False",
    "explanation": "Explanation",
    "source": "Source passage",
    "background": "Background (not graded)",
    "accepted_answers": "Accepted answers",
    "guidance": "What a strong answer covers",
    "essay_key": "(graded by hand)",
    "match_instruction": "Write the letter of the matching answer next to each item.",
    "order_instruction": "Write the letters in the correct order.",
    "study_guide": "Study guide",
    "summary": "Summary",
    "key_facts": "Key facts",
    "timeline": "Timeline",
    # Dates (studygen.dates): day/month/year order, month names (12, space-separated), inferred parts.
    "date_day": "{day} {month} {year}",
    "date_month": "{month} {year}",
    "months": "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.",
    "date_inferred": "[{part}]",
    "dates_legend": "Dates: [ ] marks a part the reading does not state, inferred from its context.",
    "argument_map": "Argument map",
    "stakeholders": "Stakeholders",
    "position": "Position",
    "interests": "Interests",
    "glossary": "Glossary",
    "key_quotes": "Key quotes",
    "discussion": "Discussion questions",
    "facilitator": "Facilitator guide",
    "contents": "Contents",
    "large_print": "Large print",
    "general": "General",
    "reading": "Reading",
    "thesis": "Thesis",
    "premises": "Premises",
    "premise": "Premise",
    "evidence": "Evidence",
    "counter_view": "Counter-view",
    "contingent": "Contingent",
    "recommendation": "Recommendation",
    "counters": "argues against",
    "quizzes": "Quizzes",
    "versions": "Versions",
    "self_test": "Self-test",
    "exports": "Exports",
    "manifest": "Manifest (keys for grading)",
    "responses_template": "Responses template (CSV)",
    "student_handout": "Student handout",
    "notes": "Notes",
    "your_answer": "Answer",
    "said_by": "as reported by",
    "figure_text": "The figure as text",
    # The study guide's short handout (`study_handout`) and the argument map drawn as boxes.
    "study_handout": "Study handout",
    "handout_note": "The evidence for each claim, the stakeholders' interests and the other sections are in the "
    "full study guide.",
    "shown_above": "shown in full above",
    "instructor": "Instructor",
    "term": "Term",
    "build": "build",
    # Printed in a PDF where no embedded font can draw a run of text ({script}: "Thai", "Arabic", ...).
    "missing_font": "[{script} text not shown: no font installed]",
    # Fixed wording of the LMS and flashcard exports (Moodle, GIFT, QTI, Anki, CSV).
    "strong_answer": "A strong answer covers",
    "beyond_reading": "Background (beyond the reading)",
    "export_source": "Source",
    "order_position": "Position {n}",
    "feedback_correct": "Your answer is correct.",
    "feedback_partial": "Your answer is partially correct.",
    "feedback_incorrect": "Your answer is incorrect.",
    "true_or_false": "True or false?",
    "choose_from": "Choose from",
    "also_accepted": "Also accepted",
    # Answer sheets (`answer_sheets: true`) and the quiz's pointer to them.
    "answer_sheet": "Answer sheet",
    "sheet_instructions": "Use a dark pen or a soft pencil and fill each box completely. One-answer questions: fill "
    "one box; 'select all that apply': fill every correct box; matching and ordering: one box in each row. To change "
    "an answer, erase it completely or ask for a new sheet: a half-erased or unclear mark is checked by a person. "
    "Boxes marked ✎ are for the marker. Do not fold the sheet or write near the black corner squares.",
    "sheet_id_instructions": "Write your student ID in the top boxes, one digit per column, then fill the box of "
    "that digit below it.",
    "sheet_marker": "✎",
    "sheet_footer": "print at actual size (100%), not 'fit to page'",
    "sheet_note": "Mark your answers on the separate answer sheet, not on this paper.",
    "roster_sheets": "Answer sheets of the roster",
    # Printed quizzes for marking (quizdoc): parts by type, the answer grid, the marking grid, the print pack.
    "section_title": "Part {part}: {name}",
    "type_single_choice": "Multiple choice",
    "type_multiple_response": "Select all that apply",
    "type_true_false": "True or false",
    "type_matching": "Matching",
    "type_ordering": "Ordering",
    "type_fill_blank": "Fill in the blanks",
    "type_short_answer": "Short answers",
    "type_essay": "Essay",
    "answer_column": "Answers",
    "answer_column_note": "Write the letter(s) of each answer in its box.",
    "marker_boxes_note": "Boxes showing points are for the marker.",
    "marking_grid": "Marking grid, all versions",
    "item": "Question",
    "print_pack": "Print pack, every version",
    "print_pack_keys": "Print pack, every key",
    "blank_page": "This page is intentionally blank.",
    # The student self-test page (studygen/targets/selftest): every word its script and template show.
    "st_kicker": "Self-test",
    "st_skip": "Skip to the questions",
    "st_sections": "Self-test sections",
    "st_tab_practice": "Practice",
    "st_tab_quiz": "Quiz",
    "st_tab_cards": "Flashcards",
    "st_tab_reading": "Reading",
    "st_tab_progress": "Progress",
    "st_noscript": "The questions, flashcards and progress need JavaScript. The reading is below.",
    "st_filters": "Filters",
    "st_filter_reading": "Reading",
    "st_all_readings": "All readings",
    "st_filter_topic": "Topic",
    "st_all_topics": "All topics",
    "st_filter_difficulty": "Difficulty",
    "st_any_difficulty": "Any difficulty",
    "st_easy": "1 (easy)",
    "st_hard": "3 (hard)",
    "st_filter_level": "Kind of thinking",
    "st_any_level": "Any kind",
    "st_level_remember": "Remember",
    "st_level_understand": "Understand",
    "st_level_apply": "Apply",
    "st_level_analyze": "Analyse",
    "st_level_evaluate": "Evaluate",
    "st_level_create": "Create",
    "st_filter_type": "Question type",
    "st_any_type": "Any type",
    "st_type_single_choice": "Single choice",
    "st_type_multiple_response": "Multiple response",
    "st_type_true_false": "True or false",
    "st_type_short_answer": "Short answer",
    "st_type_matching": "Matching",
    "st_type_ordering": "Ordering",
    "st_type_fill_blank": "Fill in the blank",
    "st_type_essay": "Essay",
    "st_match_one": "1 question matches.",
    "st_match_many": "{n} questions match.",
    "st_misses_only": "Only questions I missed",
    "st_check": "Check answer",
    "st_previous": "Previous",
    "st_next": "Next question",
    "st_question_x_of_y": "Question {n} of {total}",
    "st_difficulty_x": "Difficulty {n} of 3",
    "st_select_all": "Select all that apply.",
    "st_badge_right": "✓ right",
    "st_badge_correct": "✓ correct answer",
    "st_badge_yours": "✗ your answer",
    "st_match_right": "✓ right match",
    "st_match_wrong": "✗ wrong match; the right one is: {right}",
    "st_match_missing": "✗ no match chosen; the right one is: {right}",
    "st_your_answer": "Your answer",
    "st_match_instruction": "Choose the match for each item.",
    "st_choose_match": "Choose a match",
    "st_no_answer": "(no answer)",
    "st_order_instruction": "Put the items in the right order with the Move up and Move down buttons.",
    "st_move_up": "Move up",
    "st_move_down": "Move down",
    "st_move_up_item": "Move up: {item}",
    "st_move_down_item": "Move down: {item}",
    "st_cannot_move_up": "That item cannot move further up.",
    "st_cannot_move_down": "That item cannot move further down.",
    "st_moved": "“{item}” moved to position {n} of {total}.",
    "st_blank_n": "Blank {n}",
    "st_blank_answers": "({n}) {answers}",
    "st_or": " or ",
    "st_essay_answer": "Your answer (compare it with the guidance)",
    "st_show_passage": "Show this passage in the reading",
    "st_show_passage_n": "Show this passage in the reading (paragraph {n})",
    "st_sources_more": "Show {n} more passages",
    "st_sources_more_one": "Show 1 more passage",
    "st_passage_gap": " … ",
    "st_sources": "Source passages",
    "st_verdict_essay": "Compare your answer with the guidance below.",
    "st_verdict_right": "Correct.",
    "st_verdict_wrong": "Not quite.",
    "st_correct_answer": "Correct answer",
    "st_correct_answers": "Correct answers",
    "st_answer_first": "Answer the question first, then check it.",
    "st_already_checked": "Already checked. Choose Next question to go on.",
    "st_no_questions": "No questions match the filters.",
    "st_no_misses": "No missed questions match the filters. Well done!",
    "st_storage_blocked": "This browser does not let the page save progress here, "
    "so your progress lasts only until you close the page.",
    "st_storage_unreadable": "Your saved progress could not be read, so it starts afresh.",
    "st_storage_refused": "Your progress could not be saved (the browser refused), "
    "so it lasts only until you close the page.",
    "st_quiz_intro": "A random set of questions from the current filters. "
    "Your score and a review of your mistakes come at the end.",
    "st_quiz_size": "Number of questions",
    "st_quiz_start": "Start quiz",
    "st_quiz_submit": "Submit answer",
    "st_quiz_submit_last": "Submit and see the score",
    "st_quiz_none": "No gradable questions match the filters. Change the filters to start a quiz.",
    "st_quiz_started": "Quiz started: {n} questions.",
    "st_quiz_answer_first": "Answer the question before submitting.",
    # Practice order, resume and the "I was right" override; quiz skip, flag, resume and retry (issue 16).
    "st_filters_folded": " · {count}",
    "st_shuffle": "Shuffle",
    "st_missed_first": "Missed and unanswered first",
    "st_start_over": "Start over",
    "st_resumed": "Welcome back: you are at question {n} of {total}, where you left off.",
    "st_started_over": "Started over: question 1 of {total}.",
    "st_lasttime_right": "Last time: right",
    "st_lasttime_wrong": "Last time: wrong",
    "st_lasttime_mine": "Last time: right (your own call)",
    "st_lasttime_none": "Not tried yet",
    "st_i_was_right": "I was right: count it as correct",
    "st_i_was_right_hint": "A near miss or another way of saying it? You decide: this counts it as right "
    "in your progress on this page.",
    "st_counted_right": "Counted as right, because you said so.",
    "st_counted_right_note": "Your progress now has this question as right. That was your call: a graded quiz "
    "is still marked by the accepted answers above.",
    "st_undo_override": "Undo: count it as wrong",
    "st_override_undone": "Counted as wrong again.",
    "st_quiz_progress": "{answered} of {total} answered · {flagged} flagged",
    "st_quiz_skip": "Skip for now",
    "st_quiz_flag": "Flag for later",
    "st_quiz_unflag": "Remove the flag",
    "st_quiz_flagged": "Flagged for later",
    "st_quiz_unflagged": "Flag removed",
    "st_quiz_finish": "Review and submit",
    "st_quiz_pending_heading": "Before you submit",
    "st_quiz_pending_intro": "You answered {answered} of {total} questions. Questions left unanswered count as missed.",
    "st_quiz_pending_none": "Every question is answered and none is flagged.",
    "st_quiz_state_unanswered": "not answered",
    "st_quiz_state_flagged": "flagged, not answered",
    "st_quiz_state_flagged_answered": "flagged, answered",
    "st_quiz_goto": "Question {n} ({state}): {stem}",
    "st_quiz_submit_all": "Submit the quiz",
    "st_quiz_back": "Back to the questions",
    "st_quiz_resumed": "Your quiz in progress is back: {answered} of {total} answered.",
    "st_quiz_not_answered": "Not answered",
    "st_quiz_flagged_note": "You flagged this question.",
    "st_quiz_retry": "Retry the {n} I missed",
    "st_quiz_retry_one": "Retry the one I missed",
    "st_quiz_by_topic": "Results by topic",
    "st_quiz_topic": "Topic",
    "st_quiz_topic_right": "Right",
    "st_quiz_topic_row": "{right} of {total} ({percent}%)",
    "st_quiz_recorded": "Answer recorded. Question {n} of {total}.",
    "st_quiz_score": "You scored {score} out of {total} points ({percent}%).",
    "st_quiz_score_heading": "Your score",
    "st_quiz_review": "Review of your mistakes",
    "st_quiz_no_mistakes": "No mistakes: every answer was right.",
    "st_quiz_again": "New quiz",
    "st_cards_hint": "Recall the missing detail, then turn the card over. Cards you know come back less and less "
    "often; a card you did not know comes back a few cards later.",
    "st_cards_reverse": "Reverse: show the definition or the key detail first",
    "st_cards_keys": "Keys: Space or Enter shows the answer. Then 1 or Left arrow: I did not know it; "
    "2: Almost; 3 or Right arrow: I knew it.",
    "st_card_flip": "Show answer",
    "st_card_knew": "I knew it",
    "st_card_almost": "Almost",
    "st_card_did_not": "I did not know it",
    "st_card": "Flashcard",
    "st_card_blank_mark": "_____",
    "st_card_blank": "(blank)",
    "st_card_ask_date": "Which date fills the gap?",
    "st_card_ask_quote": "Which words does the reading quote here?",
    "st_card_ask_number": "Which number fills the gap?",
    "st_card_ask_name": "Who or what fills the gap?",
    "st_card_ask_clause": "How does the statement go on?",
    "st_card_ask_term": "What does this term mean?",
    "st_card_ask_reverse_fact": "What does the reading say about this?",
    "st_card_ask_reverse_term": "Which term is this?",
    "st_card_second_look": "Second look",
    "st_card_next": "Next card: {front}",
    "st_cards_next_session": "Start the next session",
    "st_cards_none": "This course has no facts or glossary terms to practise.",
    "st_cards_done": "Session {session}: no more cards are due. Start the next session to review again.",
    "st_cards_due_one": "Session {session}: 1 card due.",
    "st_cards_due": "Session {session}: {n} cards due.",
    "st_cards_due_again": "Session {session}: {n} cards to go, {again} of them for a second look.",
    "st_cards_due_again_one": "Session {session}: 1 card to go, for a second look.",
    "st_card_fact": "Fact",
    "st_card_term": "Glossary term",
    "st_card_answer": "Answer: {answer}",
    "st_card_up": "Well known: it comes back later.",
    "st_card_again": "It comes back after a few more cards.",
    "st_card_almost_done": "Almost: it comes back next session.",
    "st_cards_session_started": "Session {session} started.",
    "st_cards_boxes": "How well you know the cards",
    "st_boxes_new": "New or not known yet: {n}",
    "st_boxes_learning": "Learning: {n}",
    "st_boxes_known": "Known: {n}",
    "st_boxes_mastered": "Mastered: {n}",
    "st_reading_choice": "Reading",
    "st_reading_back": "Back to the question",
    "st_reading_marked": "Highlighted: the passages behind “{label}”.",
    "st_reading_unlocated": "The passages behind “{label}” could not be located in this text.",
    "st_original": "original",
    "st_quoted": "“{text}”",
    "st_progress_hint": "Progress is kept in this browser only, for this course.",
    "st_progress_next": "What to do next",
    "st_due_cards_one": "1 flashcard is due now.",
    "st_due_cards": "{n} flashcards are due now.",
    "st_due_cards_none": "No flashcards are due now.",
    "st_due_misses_one": "1 question you missed last time is waiting for another try.",
    "st_due_misses": "{n} questions you missed last time are waiting for another try.",
    "st_due_new_one": "1 question is not tried yet.",
    "st_due_new": "{n} questions are not tried yet.",
    "st_due_all_done": "Every question is right at your last try. Well done!",
    "st_study_cards": "Study the flashcards",
    "st_progress_topics": "By topic",
    "st_progress_topics_hint": "How well you know each topic, from your last answer to each question and how well "
    "you know its flashcards.",
    "st_mastery_none": "Not started yet",
    "st_mastery_low": "Needs practice",
    "st_mastery_mid": "Getting there",
    "st_mastery_high": "Well learned",
    "st_mastery_percent": "{word} ({percent}% learned)",
    "st_topic_questions": "Questions: {right} of {total} right at your last try",
    "st_topic_missed": "{n} to try again",
    "st_topic_new": "{n} not tried yet",
    "st_topic_cards": "Flashcards: {known} of {total} known, {learning} learning",
    "st_topic_practise": "Practise this topic",
    "st_topic_practise_named": "Practise: {topic}",
    "st_overall": "Overall",
    "st_answered": "Questions answered",
    "st_x_of_y": "{n} of {total}",
    "st_last_right": "Right at the last attempt",
    "st_last_missed": "Missed at the last attempt",
    "st_quizzes_taken": "Quizzes taken",
    "st_card_sessions": "Flashcard sessions",
    "st_review_misses": "Review my misses",
    "st_review_misses_n": "Review my misses ({n})",
    "st_reset": "Reset progress",
    "st_quiz_results": "Quiz results",
    "st_no_quiz": "No quiz taken yet.",
    "st_history_row": "{when}: {score} of {total} points ({percent}%)",
    "st_history_missed": "{row}, {n} missed",
    "st_no_misses_yet": "No misses to review yet.",
    "st_reset_confirm": "Reset all progress? Your answers, quiz results and flashcard boxes will be deleted.",
    "st_reset_done": "Progress reset.",
    "st_footer": "{questions} questions and {cards} flashcards",
    "st_offline": "Works offline: nothing on this page is sent anywhere.",
    # The grade report (`studygen grade`: report.html and report.pdf).
    "gr_title": "Item analysis: {quiz}",
    "gr_header": "Item analysis",
    "gr_untitled": "Quiz",
    "gr_graded": "{students} student(s) graded from {responses}",
    "gr_seed": "(quiz seed {seed})",
    "gr_against_build": "against the manifest of build {fingerprint} (printed at the foot of every quiz page)",
    "gr_mean": "mean score {mean}%.",
    "gr_rule": "Multiple-response rule: {rule}.",
    "gr_skipped_intro": "{count} row problem(s): those rows were not graded ({listed}).",
    "gr_listed_below": "listed below",
    "gr_flagged": "{count} question(s) flagged below.",
    "gr_accepted_intro": "Answers were accepted for this run from {file} ({listed}).",
    "gr_small_sample": "Only {students} student(s): with fewer than {rough_n}, item statistics (r, D) and the flags "
    "built on them are rough; read them as hints, not verdicts.",
    "gr_skipped_title": "Rows not graded",
    "gr_skipped_note": "Fix these rows in {responses} and grade again; the other rows were graded.",
    "gr_line": "Line",
    "gr_problem": "Problem",
    "gr_topics_title": "Summary by topic",
    "gr_topics_note": "Weakest topic first: the mean proportion correct (p) of its questions, and its questions "
    "weakest first. A question with several topics counts under each.",
    "gr_topic": "Topic",
    "gr_mean_p": "Mean p",
    "gr_topic_questions": "Questions (p)",
    "gr_no_topic": "No topic",
    "gr_no_topics": "This manifest names no topics (it was written by an older studygen); rebuild the quiz to get "
    "a summary by topic.",
    "gr_distribution_title": "Score distribution",
    "gr_histogram_title": "Histogram of percent scores in bins of 10 points",
    "gr_percent_score": "percent score",
    "gr_histogram_caption": "Students per 10-point band of percent score (the last band includes 100%).",
    "gr_distribution_table": "Score distribution as a table",
    "gr_versions_title": "Versions and reliability",
    "gr_n": "n",
    "gr_max_points": "Max points",
    "gr_expected": "Expected %",
    "gr_mean_percent": "Mean %",
    "gr_sd_percent": "SD %",
    "gr_kr20": "KR-20",
    "gr_alpha": "Cronbach's alpha",
    "gr_all_versions": "all versions",
    "gr_anova": "One-way ANOVA of percent scores across versions: F({df1}, {df2}) = {f}, p = {p}.",
    "gr_anova_note": "A small p (below 0.05) suggests the versions were not equally hard.",
    "gr_no_anova": "No test of version differences: it needs at least two versions with students and some spread "
    "of scores within them.",
    "gr_per_version_note": "Each version drew its own questions ({setting}); Expected % is the mean score the build "
    "predicted for it from the bank's measured statistics or authored difficulty. Observed means far from it "
    "suggest recording this class's statistics ({option}) before the next draw.",
    "gr_per_student_note": "Each student answered a version of their own ({setting}, {versions} versions): each "
    "version was answered by one student, so no per-version mean, spread or reliability is shown and the versions "
    "cannot be compared by a test.",
    "gr_per_student_expected": "The build balanced them on expected score to within {spread} percentage points; it "
    "expected this class to score {expected}% on average, and the class scored {observed}%. Observed scores far "
    "from that suggest recording this class's statistics ({option}) before the next draw.",
    "gr_kr20_note": "KR-20 is shown only when every item is scored right or wrong; n/a means undefined (too few "
    "items, or no spread of scores).",
    "gr_reliability_note": "With fewer than {min_n} students a reliability coefficient is noise, so none is shown "
    '("not meaningful"); below {rough_n} it is marked rough. A negative value from enough students means the '
    "items do not measure one thing: check the keys of the flagged questions.",
    "gr_na": "n/a",
    "gr_not_meaningful": "not meaningful with n={n}",
    "gr_rough": "{value} (rough: n={n})",
    "gr_negative": "{value} (negative)",
    "gr_items_title": "Items",
    "gr_items_note": "Statistics are pooled over versions by bank question id. p = difficulty (proportion of the "
    "points earned); r = item–rest correlation (corrected point-biserial); D = p in the top {group} students minus "
    "p in the bottom {group} (27% groups).",
    "gr_question": "Question",
    "gr_type": "Type",
    "gr_shown_as": "Shown as",
    "gr_omitted": "Omitted",
    "gr_p": "p",
    "gr_r": "r",
    "gr_d": "D",
    "gr_flags": "Flags",
    "gr_shown_many": "{count} versions, as {where}",
    "gr_item_one": "item {n}",
    "gr_item_range": "items {first}–{last}",
    "gr_flag_negative_r": "negative discrimination",
    "gr_flag_very_hard": "very hard (p < 0.2)",
    "gr_flag_very_easy": "very easy (p > 0.95)",
    "gr_flag_nobody": "nobody chose it",
    "gr_flag_strong_chose": "strongest students chose it more than the weakest",
    "gr_unmatched_title": "Typed answers that matched no accepted answer",
    "gr_unmatched_note": "{count} typed answer(s) earned nothing. The same list is in {file}: write {yes} in its "
    "accept column beside the answers that deserve credit and grade again with {option}. Accepted answers count "
    "for that run only and are listed in its report.",
    "gr_all_matched": "Every typed answer matched an accepted answer.",
    "gr_answer_typed": "Answer as typed",
    "gr_students_column": "Students",
    "gr_decision": "Decision",
    "gr_blank": "blank {n}",
    "gr_accepted_title": "Answers accepted for this run",
    "gr_accepted_note": "From {file}: these answers were accepted in addition to the bank's, for this grading run "
    "only.",
    "gr_accepted_answer": "Accepted answer",
    "gr_credited": "Answers it credited",
    "gr_distractors_title": "Distractor analysis",
    "gr_distractors_note": "How often each option was marked, by its text (letters differ between versions). The "
    "key is in bold.",
    "gr_option": "Option",
    "gr_chosen": "Chosen",
    "gr_percent": "%",
    "gr_top_group": "Top group",
    "gr_bottom_group": "Bottom group",
    "gr_key_mark": "(key)",
    "gr_students_title": "Students",
    "gr_score": "Score",
    "gr_max": "Max",
}

# Export targets a course may list under `exports:`: name -> "module:attribute" of its exporter,
# imported only when used (`studygen.targets.get_exporter`).  The course schema, the CLI help and
# the registry all read this one table.
EXPORTERS: dict[str, str] = {
    "json": "studygen.targets.jsonexport:JsonExporter",
    "moodle": "studygen.targets.moodle:MoodleExporter",
    "gift": "studygen.targets.gift:GiftExporter",
    "qti": "studygen.targets.qti:QtiExporter",
    "anki": "studygen.targets.anki:AnkiExporter",
    "csv": "studygen.targets.csvexport:CsvExporter",
}

# Labels that take placeholders, and the only ones they may use; every other label takes none.
LABEL_FIELDS: dict[str, frozenset[str]] = {
    "page_x_of_y": frozenset({"page", "pages"}),
    "order_position": frozenset({"n"}),
    "date_day": frozenset({"day", "month", "year"}),
    "date_month": frozenset({"month", "year"}),
    "date_inferred": frozenset({"part"}),
    "section_title": frozenset({"part", "name"}),
    "missing_font": frozenset({"script"}),
    # The self-test's and the grade report's labels may use exactly the fields their default wording uses.
    **{
        key: frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
        for key, text in DEFAULT_LABELS.items()
        if key.startswith(("st_", "gr_")) and "{" in text
    },
}


# The study guide's sections, by the names a course file lists under `study_guide: {sections: [...]}`,
# in the order a guide prints them by default; the short handout's default is the part instructors
# hand out in class.  Content and both formats read these names (`studygen.documents.study_guide`).
STUDY_GUIDE_SECTIONS = ("summary", "key_facts", "timeline", "argument_map", "stakeholders", "glossary", "key_quotes")
HANDOUT_SECTIONS = ("summary", "argument_map", "stakeholders")

DRAW_MODES = ("same", "per_version")
# Versions' expected mean scores may differ by at most this many percentage points (per_version draws).
DEFAULT_TOLERANCE = 2.0


@dataclass(frozen=True)
class Pool:
    """One blueprint slot: `questions` drawn from the questions that pass every filter given.

    Within a filter any listed value matches; across filters all must hold.
    `ids` lists the questions explicitly (the other filters still apply).
    """

    questions: int
    name: str = ""
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    difficulty: tuple[int, ...] = ()
    bloom: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()

    def describe(self, index: int) -> str:
        """How messages name the slot: `pools[1] "analysis"`."""
        return f"pools[{index}]" + (f" {self.name!r}" if self.name else "")


@dataclass(frozen=True)
class Blueprint:
    """How many questions to pick, and from what (empty filters mean 'any').

    Either the quota keys (one pool of `questions`, with `per_*` counts) or
    `pools` (slots, each its own filter and count).  `draw` says whether all
    versions share one draw (`same`, the default) or each version draws its own
    (`per_version`), balanced to within `tolerance` percentage points of
    expected mean score.
    """

    questions: int = 10
    per_type: dict[str, int] = field(default_factory=dict)
    topics: tuple[str, ...] = ()
    difficulty: tuple[int, ...] = ()
    bloom: tuple[str, ...] = ()
    per_topic: dict[str, int] = field(default_factory=dict)
    per_difficulty: dict[int, int] = field(default_factory=dict)
    per_bloom: dict[str, int] = field(default_factory=dict)
    pools: tuple[Pool, ...] = ()
    draw: str = "same"
    tolerance: float = DEFAULT_TOLERANCE
    points: dict[str, float] = field(default_factory=dict)  # points per question of a type, over the bank's

    def admits(self, q: Question) -> bool:
        """Whether the filters (topics, difficulty, bloom) let the quiz draw this question."""
        if self.topics and not set(q.topics) & set(self.topics):
            return False
        if self.difficulty and q.difficulty not in self.difficulty:
            return False
        return not (self.bloom and q.bloom not in self.bloom)


# `sections: by_type` without `section_order`: choice questions first, writing last, essays at the end.
SECTION_ORDER: tuple[QuestionType, ...] = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_RESPONSE,
    QuestionType.TRUE_FALSE,
    QuestionType.MATCHING,
    QuestionType.ORDERING,
    QuestionType.FILL_BLANK,
    QuestionType.SHORT_ANSWER,
    QuestionType.ESSAY,
)


def section_order(named: Sequence[str]) -> tuple[QuestionType, ...]:
    """Every question type in section order: the `named` ones first, the rest in `SECTION_ORDER`'s order."""
    first = tuple(QuestionType(n) for n in named)
    return first + tuple(t for t in SECTION_ORDER if t not in first)


@dataclass(frozen=True)
class QuizSpec:
    id: str
    title: str
    versions: int = 2
    seed: int = 0
    blueprint: Blueprint = field(default_factory=Blueprint)
    formats: tuple[str, ...] = ("pdf", "html")
    large_print: bool = False
    answer_sheets: bool = False  # a scannable answer sheet per version (and per roster student)
    id_digits: int = 8  # length of the student-ID grid on blank answer sheets
    roster: tuple[tuple[str, str], ...] = ()  # (student_id, name): personalised sheets, in this order
    # `versions: per_student`: one version per roster student (then `versions` is the roster's length).
    per_student: bool = False
    banks: tuple[str, ...] = ()  # bank ids or paths (relative to the course file) the quiz draws from
    # Printed quizzes for marking: parts by type (type names in order; () = one shuffled run), essay
    # writing lines per point (None: the default rule), an answer grid on page 1, a print pack.
    sections: tuple[str, ...] = ()
    lines_per_point: float | None = None
    answer_column: bool = False
    print_pack: str = ""  # "", "quizzes" or "quizzes_and_keys"
    # Where the quiz was written, for messages: the course file as shown, and (line, col) by key such as
    # "id", "banks", "blueprint", "blueprint.tolerance", "blueprint.pools.1".
    origin: str = field(default="", compare=False)
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> tuple[int, int]:
        """(line, col) of `key`, or of its nearest written parent; (1, 1) when nothing was recorded."""
        while key:
            if key in self.marks:
                return self.marks[key]
            key = key.rpartition(".")[0]
        return self.marks.get("id", (1, 1))

    span: Span = NO_SPAN  # where the quiz's id is written in the course file, for diagnostics


@dataclass(frozen=True)
class Course:
    root: Path
    title: str = "Course"
    instructor: str = ""
    institution: str = ""
    term: str = ""
    paper: str = "A4"  # "A4" or "Letter"
    logo: Path | None = None
    logo_data: bytes = b""  # read by the course loader: renderers never open files
    templates: Path | None = None
    hangul_font: Path | None = None
    language: str = "en"
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    banks: tuple[Path, ...] = ()
    output: Path = Path("output")
    quizzes: tuple[QuizSpec, ...] = ()
    # Document kinds to build (names in `studygen.documents.DOCUMENTS`); None: the registry's defaults.
    documents: tuple[str, ...] | None = None
    # Sections of the study guide and of its short handout, in the order they print.
    guide_sections: tuple[str, ...] = STUDY_GUIDE_SECTIONS
    handout_sections: tuple[str, ...] = HANDOUT_SECTIONS
    exports: tuple[str, ...] = ()
    max_bank_size: int | None = None  # bytes a bank file may have; None: the loader's default (32 MiB)
    # How Moodle XML writes ordering questions: "ordering" (core qtype_ordering, Moodle 4.4+) or
    # "matching" (item -> position, for older Moodle without the ordering plugin).
    moodle_ordering: str = "ordering"

    def label(self, key: str, **values: object) -> str:
        text = self.labels.get(key, DEFAULT_LABELS.get(key, key))
        return text.format(**values) if values else text


def largest_remainder(shares: dict[K, Fraction], total: int) -> dict[K, int]:
    """Whole counts in proportion to `shares` (which sum to 1) that always add up to exactly `total`.

    Each key first gets the whole part of its share of `total`; the questions
    left over go one each to the largest remainders, ties to the key written
    first.  So `{a: 40%, b: 40%, c: 20%}` of 15 is 6, 6, 3, and of 12 is 5, 5, 2.
    """
    keys = list(shares)
    exact = [shares[k] * total for k in keys]
    counts = [int(e) for e in exact]  # shares are >= 0, so int() is the floor
    left = total - sum(counts)
    for i in sorted(range(len(keys)), key=lambda i: (counts[i] - exact[i], i))[:left]:
        counts[i] += 1
    return dict(zip(keys, counts, strict=True))
