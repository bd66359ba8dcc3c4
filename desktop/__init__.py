"""What the two desktop programs (the customer's agent and the technician's console) share.

`shared/` is the pure core: it computes and never touches files, sockets, threads or Qt. The
agent and the console may not import each other. Everything with I/O that both of them need
lives here: the client side of the relay protocol, the session driver that runs a session over
it, the audit file store, and the Qt helpers (translations, plain-text labels) both UIs use.
The relay server (`relay/`) is never imported from here: it runs on another machine.
"""
