"""财政审核: the review window, the 复核 dialog, and 生成报送包 for the normal window."""
