"""The one place discovery calls the identification engine (oversight.identification).

A change in the engine's interface touches this module only: the scanner, the nmap import and the
server all identify a device as `DeviceIdentifier()(observed)`, from what the device showed.
"""

from oversight.identification.engine import Identifier
from oversight.identification.signals import Signals


class DeviceIdentifier:
    """Reads the reference data once; then identifies any number of devices without queries."""

    def __init__(self):
        self.engine = Identifier.from_db()

    def __call__(self, observed: dict) -> dict:
        """{'maker', 'brand', 'concern', 'designations', 'confidence', 'evidence'} (and 'error')."""
        signals = Signals(
            manufacturer=observed.get('manufacturer', ''),
            model=observed.get('model', ''),
            firmware=observed.get('firmware', ''),
            mac=observed.get('mac', ''),
            http_server=observed.get('http_server', ''),
            www_authenticate=observed.get('www_authenticate', ''),
            html_title=observed.get('html_title', ''),
            rtsp_server=observed.get('rtsp_server', ''),
            onvif_scopes=tuple(observed.get('onvif_scopes', ())),
        )
        result = self.engine.identify(signals)
        return {'brand': result.brand, **result.as_dict()}
