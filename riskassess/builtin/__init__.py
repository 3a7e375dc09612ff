"""Built-in plugins. Nothing here is special: each module is registered exactly
like an installed plugin, and can be blocked like one."""
