"""The support company's admin tool (``fernhilfe-org``): organisation key, certificates,
revocation lists."""
