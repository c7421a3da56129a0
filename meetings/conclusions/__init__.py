"""The conclusion notice of a session (thông báo kết luận): its numbered items, the tasks
they assign to offices, its workflow (draft, submitted, approved, signed, published) and
its deadline in working days."""
