"""Names vulture (at --min-confidence 80) takes for unused, kept on purpose; each says why.

Run as: vulture companion tools/vulture_whitelist.py --min-confidence 80
"""

# companion/remote/protocol.py: RemoteTarget.note's parameter; a Protocol method has no body to
# use it, and the outside-control server passes it to every implementation.
key_or_label  # noqa: B018, F821

# companion/ui/widgets/breath_guide.py: get_content_height overrides Textual's Widget method,
# whose signature includes `viewport`; the orb's height depends only on its container.
viewport  # noqa: B018, F821

# companion/ui/screens/practice.py: check_action overrides Textual's DOMNode method, whose
# signature includes the action's `parameters`; the continue key's answer depends on the hold.
parameters  # noqa: B018, F821
