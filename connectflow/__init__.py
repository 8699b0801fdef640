"""connectflow: lint and patch Cisco Webex Connect flow files before upload."""

__version__ = "0.1.0"
