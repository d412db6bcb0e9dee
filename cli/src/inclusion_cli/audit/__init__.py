"""The auditor's tool: replay the decision log from offset 0 and prove every decision."""
