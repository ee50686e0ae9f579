"""apicfa : norme d'échange API CFA."""

__version__ = "0.1.0"
