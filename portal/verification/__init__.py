"""Public verification of sealed notices: by document id, by uploaded PDF, or as JSON."""
