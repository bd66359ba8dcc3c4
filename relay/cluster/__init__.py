"""A relay on several machines (issue 14): the state the nodes share, and how they reach each
other. :mod:`relay.cluster.state` is the interface, :mod:`relay.cluster.local` the single-process
implementation (the default), :mod:`relay.cluster.redis_state` the one shared through Redis."""
