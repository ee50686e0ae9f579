"""`ClientOpco` : une méthode par route de la norme (SPEC §3), pour un OPCO.

Chaque appel porte `X-API-KEY`, `EDITEUR`, `LOGICIEL`, `VERSION` (et un jeton OAuth
quand il est configuré) ; chaque POST porte un `Idempotency-Key`, le même pour toutes
ses tentatives.
"""

from __future__ import annotations

import functools
import re
import ssl
import unicodedata
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from http.cookiejar import CookieJar
from types import TracebackType
from typing import Any

import httpx
import orjson

from apicfa import __version__
from apicfa.client.erreurs import (
    ErreurAuthentification,
    ErreurReponse,
    ErreurReseau,
    erreur_pour_statut,
)
from apicfa.client.jeton import FournisseurJeton, IdentifiantsOAuth
from apicfa.client.pagination import lire_page, parcourir
from apicfa.client.reessai import STATUTS_A_REESSAYER, PolitiqueReessai
from apicfa.client.reponses import (
    AccuseDepot,
    AccuseObjet,
    DossierLu,
    EtatDossier,
    EtatFacture,
    InfoCle,
    Page,
    StatutService,
)
from apicfa.client.transport import TransportLeger


@dataclass(frozen=True)
class Logiciel:
    """Identité du logiciel du CFA, envoyée dans les en-têtes EDITEUR, LOGICIEL, VERSION.

    Un en-tête HTTP ne porte que des caractères ASCII imprimables : un texte accentué est refusé
    dès la construction (ValueError en français qui nomme l'en-tête et propose une écriture sans
    accents) plutôt qu'au premier envoi. Choix : le client ne translittère pas en silence, c'est
    le nom sous lequel l'OPCO connaîtra le logiciel."""

    editeur: str = "apicfa"
    logiciel: str = "apicfa-client"
    version: str = __version__

    def __post_init__(self) -> None:
        for entete, texte in (
            ("EDITEUR", self.editeur),
            ("LOGICIEL", self.logiciel),
            ("VERSION", self.version),
        ):
            verifier_entete(entete, texte)


def verifier_entete(entete: str, texte: str) -> None:
    """Lève ValueError si `texte` ne peut pas être la valeur de l'en-tête HTTP `entete`."""
    if not texte.strip():
        raise ValueError(f"{entete} : valeur vide ; l'en-tête est obligatoire pour l'OPCO.")
    if texte.isascii() and texte.isprintable():
        return
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    sans_accents = "".join(c for c in sans_accents if c.isprintable())
    raise ValueError(
        f"{entete} « {texte} » : un en-tête HTTP ne porte que des caractères ASCII "
        f"imprimables, sans accents ; écrivez par exemple « {sans_accents} »."
    )


@dataclass(frozen=True)
class Fichier:
    """Pièce jointe d'un envoi multipart."""

    nom: str
    contenu: bytes
    type_mime: str = "application/pdf"


def nouvelle_cle_idempotence() -> str:
    return uuid.uuid4().hex


class _SansCookies(CookieJar):
    """Les API des OPCO n'utilisent pas de cookies : httpx n'a pas à analyser chaque réponse
    pour sa boîte à cookies (quelques pour cent du CPU du client par requête)."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None


_CHEMIN_SIMPLE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


def _mandataire_configure() -> bool:
    """Vrai quand l'environnement désigne un mandataire HTTP : le transport par défaut de
    httpx le prend alors en charge (le transport léger ne parle qu'en direct)."""
    from urllib.request import getproxies

    mandataires = getproxies()
    return any(mandataires.get(schema) for schema in ("http", "https", "all"))


@functools.cache
def _contexte_tls() -> ssl.SSLContext:
    """Un seul contexte TLS (autorités de certifi, comme httpx) partagé par tous les clients :
    le charger coûte ~50 ms, une fois par OPCO sinon."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class ClientOpco:
    """Client d'un OPCO : URL de base (sans `/v1`), clé d'API du CFA, identité du logiciel."""

    def __init__(
        self,
        url_base: str,
        cle: str,
        *,
        opco: str | None = None,
        logiciel: Logiciel | None = None,
        oauth: IdentifiantsOAuth | None = None,
        politique: PolitiqueReessai | None = None,
        transport: httpx.BaseTransport | None = None,
        delai_s: float = 30.0,
        connexions: int = 10,
    ) -> None:
        logiciel = logiciel or Logiciel()
        self.opco = opco
        self._politique = politique or PolitiqueReessai()
        self._base = url_base.rstrip("/") + "/"
        self._urls: dict[str, httpx.URL] = {}
        limites = httpx.Limits(max_connections=connexions, max_keepalive_connections=connexions)
        if transport is None and not _mandataire_configure():
            transport = TransportLeger(verify=_contexte_tls(), limits=limites)
        self._http = httpx.Client(
            base_url=self._base,
            headers={
                "X-API-KEY": cle,
                "EDITEUR": logiciel.editeur,
                "LOGICIEL": logiciel.logiciel,
                "VERSION": logiciel.version,
                "Accept": "application/json",
            },
            transport=transport,
            verify=_contexte_tls(),
            cookies=_SansCookies(),
            timeout=httpx.Timeout(delai_s, connect=min(delai_s, 10.0)),
            limits=limites,
        )
        self._cle = cle
        self._jeton = FournisseurJeton(oauth, self._http) if oauth else None

    # -- cycle de vie -------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ClientOpco:
        return self

    def __exit__(
        self,
        type_exc: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- dossiers -----------------------------------------------------------------------
    def deposer_dossier(
        self, cerfa: Mapping[str, Any], *, version: int = 2, cle_idempotence: str | None = None
    ) -> AccuseDepot:
        """`POST /v{version}/dossiers` ; accepte l'enveloppe `{"cerfa": …}` ou le cerfa nu."""
        corps = cerfa if "cerfa" in cerfa else {"cerfa": cerfa}
        reponse = self._appeler(
            "POST", f"v{version}/dossiers", json_corps=corps, cle_idempotence=cle_idempotence
        )
        return AccuseDepot.lire(reponse)

    def lire_dossier(self, numero_interne: str, *, version: int = 1) -> DossierLu:
        """`GET /v{version}/dossiers?numeroInterne=` : le dossier et sa vue financière."""
        reponse = self._appeler(
            "GET", f"v{version}/dossiers", params={"numeroInterne": numero_interne}
        )
        return DossierLu.lire(reponse)

    def page_etats_dossiers(
        self,
        numero_page: int = 1,
        *,
        version: int = 1,
        etat: str | None = None,
        modifie_depuis: date | datetime | str | None = None,
    ) -> Page[EtatDossier]:
        params: dict[str, str] = {"numeroPage": str(numero_page)}
        if etat:
            params["etat"] = etat
        if modifie_depuis:
            params["modifieDepuis"] = (
                modifie_depuis if isinstance(modifie_depuis, str) else modifie_depuis.isoformat()
            )
        corps = self._appeler("GET", f"v{version}/dossiers/etats", params=params)
        total, page, elements = lire_page(corps, "EtatDossierResult")
        return Page(total, page, [EtatDossier.lire(e) for e in elements])

    def etats_dossiers(
        self,
        *,
        version: int = 1,
        etat: str | None = None,
        modifie_depuis: date | datetime | str | None = None,
    ) -> Iterator[EtatDossier]:
        """Tous les états de dossiers, toutes pages parcourues."""
        return parcourir(
            lambda n: self.page_etats_dossiers(
                n, version=version, etat=etat, modifie_depuis=modifie_depuis
            ),
            lambda e: f"{e.numero_interne}|{e.etat}|{e.date_modification}",
            route="GET dossiers/etats",
        )

    def liste_dossiers(self, numeros_internes: Sequence[str]) -> list[EtatDossier]:
        """`GET /v1/dossiers/liste?numerosInternes=a,b,c`."""
        corps = self._appeler(
            "GET", "v1/dossiers/liste", params={"numerosInternes": ",".join(numeros_internes)}
        )
        _, _, elements = lire_page(corps, "dossiers")
        return [EtatDossier.lire(e) for e in elements]

    def declarer_rupture(
        self, rupture: Mapping[str, Any], *, cle_idempotence: str | None = None
    ) -> DossierLu:
        """`POST /v2/dossiers/rupture/employeur` : la vue financière après rupture."""
        corps = self._appeler(
            "POST",
            "v2/dossiers/rupture/employeur",
            json_corps=dict(rupture),
            cle_idempotence=cle_idempotence,
        )
        return DossierLu.lire(corps)

    # -- objets multipart ---------------------------------------------------------------
    def envoyer_convention(
        self,
        convention: Mapping[str, Any],
        fichier: Fichier,
        *,
        cle_idempotence: str | None = None,
    ) -> AccuseObjet:
        return self._envoyer_objet(
            "v1/conventions",
            "convention",
            convention,
            fichier,
            "numeroInterneConvention",
            cle_idempotence,
        )

    def envoyer_facture(
        self, facture: Mapping[str, Any], fichier: Fichier, *, cle_idempotence: str | None = None
    ) -> AccuseObjet:
        return self._envoyer_objet(
            "v1/factures", "facture", facture, fichier, "numeroInterneFacture", cle_idempotence
        )

    def envoyer_certificat(
        self,
        certificat: Mapping[str, Any],
        fichier: Fichier,
        *,
        cle_idempotence: str | None = None,
    ) -> AccuseObjet:
        return self._envoyer_objet(
            "v2/certificats",
            "certificat",
            certificat,
            fichier,
            "numeroInterneCertificat",
            cle_idempotence,
        )

    def envoyer_document(
        self, document: Mapping[str, Any], fichier: Fichier, *, cle_idempotence: str | None = None
    ) -> AccuseObjet:
        return self._envoyer_objet(
            "v1/documents", "document", document, fichier, None, cle_idempotence
        )

    def page_etats_factures(self, numero_page: int = 1) -> Page[EtatFacture]:
        corps = self._appeler("GET", "v2/factures/etats", params={"numeroPage": str(numero_page)})
        total, page, elements = lire_page(corps, "factures")
        return Page(total, page, [EtatFacture.lire(e) for e in elements])

    def etats_factures(self) -> Iterator[EtatFacture]:
        """Tous les états de factures, toutes pages parcourues."""
        return parcourir(
            self.page_etats_factures,
            lambda f: f"{f.numero_interne_facture}|{f.etat_facture}",
            route="GET factures/etats",
        )

    # -- service --------------------------------------------------------------------------
    def info_cle(self, siren: str) -> InfoCle:
        """`GET /v2/cfakeyinfo?siren=&XAPIKEY=` : validité de la clé du CFA."""
        corps = self._appeler("GET", "v2/cfakeyinfo", params={"siren": siren, "XAPIKEY": self._cle})
        return InfoCle.lire(corps)

    def statut(self) -> StatutService:
        return StatutService.lire(self._appeler("GET", "v1/status"))

    # -- mécanique ------------------------------------------------------------------------
    def _envoyer_objet(
        self,
        chemin: str,
        partie: str,
        contenu: Mapping[str, Any],
        fichier: Fichier,
        cle_numero: str | None,
        cle_idempotence: str | None,
    ) -> AccuseObjet:
        parties = {
            partie: (None, orjson.dumps(dict(contenu)), "application/json"),
            "fichier": (fichier.nom, fichier.contenu, fichier.type_mime),
        }
        corps = self._appeler("POST", chemin, fichiers=parties, cle_idempotence=cle_idempotence)
        return AccuseObjet.lire(corps, cle_numero, f"POST {chemin}")

    def _appeler(
        self,
        methode: str,
        chemin: str,
        *,
        params: Mapping[str, str] | None = None,
        json_corps: Any = None,
        fichiers: Mapping[str, tuple[str | None, bytes, str]] | None = None,
        cle_idempotence: str | None = None,
    ) -> Any:
        entetes: dict[str, str] = {}
        contenu: bytes | None = None
        if methode == "POST":
            entetes["Idempotency-Key"] = cle_idempotence or nouvelle_cle_idempotence()
        if json_corps is not None:
            contenu = orjson.dumps(json_corps)
            entetes["Content-Type"] = "application/json"
        tentative = 0
        jeton_renouvele = False
        while True:
            tentative += 1
            jeton = self._jeton.jeton() if self._jeton else None
            if jeton:
                entetes["Authorization"] = f"Bearer {jeton}"
            try:
                reponse = self._http.request(
                    methode,
                    self._url(chemin),
                    params=params,
                    content=contenu,
                    files=fichiers,
                    headers=entetes,
                )
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if self._politique.doit_reessayer(None, tentative):
                    self._politique.dormir(self._politique.attente(tentative))
                    continue
                raise ErreurReseau(
                    f"{self._nom()} injoignable ({type(exc).__name__}) après {tentative} "
                    f"tentative(s) sur {methode} /{chemin}",
                    opco=self.opco,
                ) from exc
            statut = reponse.status_code
            if statut == 401 and self._jeton is not None and not jeton_renouvele:
                jeton_renouvele = True
                self._jeton.invalider(jeton)
                tentative -= 1
                continue
            if statut in STATUTS_A_REESSAYER and self._politique.doit_reessayer(statut, tentative):
                self._politique.dormir(
                    self._politique.attente(tentative, reponse.headers.get("Retry-After"))
                )
                continue
            corps = self._corps(reponse, methode, chemin)
            if 200 <= statut < 300:
                return corps
            if statut == 401 and self._jeton is None:
                raise ErreurAuthentification(
                    f"{self._nom()} exige un jeton OAuth : configurez --oauth-url, --client-id "
                    "et --client-secret (401)",
                    statut=401,
                    opco=self.opco,
                )
            raise erreur_pour_statut(statut, corps, opco=self.opco)

    def _url(self, chemin: str) -> httpx.URL | str:
        """L'URL absolue d'une route (`v2/dossiers`…), analysée une fois par client ; un
        chemin d'autres caractères que lettres, chiffres, `/`, `-` et `_` est laissé à httpx."""
        url = self._urls.get(chemin)
        if url is None:
            if not _CHEMIN_SIMPLE.fullmatch(chemin):
                return chemin
            url = self._urls[chemin] = httpx.URL(self._base + chemin)
        return url

    def _corps(self, reponse: httpx.Response, methode: str, chemin: str) -> Any:
        if not reponse.content:
            return None
        try:
            return orjson.loads(reponse.content)
        except orjson.JSONDecodeError:
            if 200 <= reponse.status_code < 300:
                raise ErreurReponse(
                    f"{self._nom()} : réponse non JSON sur {methode} /{chemin}",
                    statut=reponse.status_code,
                    opco=self.opco,
                ) from None
            return None

    def _nom(self) -> str:
        return f"L'OPCO {self.opco}" if self.opco else "L'OPCO"
