"""Where a webhook may point: a public https address. Checked when it is saved and again before each
send, since a name can be pointed elsewhere after it was saved."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def resolve(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]


def check_target(url: str) -> None:
    """Raise ValidationError unless the address is https to a host whose every address is public."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        raise ValidationError(_("The address must start with https://."), code="scheme")
    if not parts.hostname:
        raise ValidationError(_("The address has no host name."), code="host")
    try:
        addresses = resolve(parts.hostname, parts.port or 443)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(
            _("The host name {host} cannot be found.").format(host=parts.hostname), code="dns"
        ) from exc
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            inside = _("The address leads to {ip}, inside a private, local or reserved network.")
            only_public = _("Only public addresses are allowed.")
            raise ValidationError(f"{inside.format(ip=address)} {only_public}", code="private")
