"""The finance bureau's side: sealed submissions, the review list, 复核, 抽评 and 通报.

Plain Python, no Qt. Nothing here ever writes a department's file: reports are read
through ``core.review.readonly`` (SQLite read-only, immutable, or from bytes in memory).
"""
