"""Official documents of a session (Decree 30/2020/NĐ-CP): the invitation letter (giấy mời)
and the conclusion notice (thông báo kết luận), rendered to PDF from the office's template
text and numbered per office, kind and year (never reused)."""
