"""A class at once: the load client against replicas behind HAProxy."""
