"""Journal des envois : écrit avant l'envoi, reprise des envois au sort inconnu."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import httpx
import orjson
import pytest
from tests.client import enregistrements as enr

from apicfa.client import ClientOpco, PolitiqueReessai
from apicfa.client.expedition import Expediteur
from apicfa.client.journal import A_ENVOYER, ACCEPTE, ECHEC, REFUSE, Journal
from apicfa.client.reponses import DossierLu
from apicfa.client.resultats import ECHEC as ISSUE_ECHEC
from apicfa.client.resultats import ENVOYE
from apicfa.client.resultats import REFUSE as ISSUE_REFUSE


class OpcoIdempotent:
    """Faux OPCO qui mémorise les clés d'idempotence comme le vrai serveur."""

    def __init__(self) -> None:
        self.reponses: dict[str, bytes] = {}
        self.dossiers: list[bytes] = []
        self.perdre_reponse: set[str] = set()
        self.refuser: set[str] = set()

    def __call__(self, requete: httpx.Request) -> httpx.Response:
        cle = requete.headers["Idempotency-Key"]
        nom = orjson.loads(requete.content)["cerfa"]["apprenti"]["nom"]
        if nom in self.refuser:
            return httpx.Response(400, content=orjson.dumps(enr.ERREUR_400))
        if cle not in self.reponses:
            self.dossiers.append(requete.content)
            numero = f"N{len(self.dossiers)}"
            self.reponses[cle] = orjson.dumps({"numeroInterne": numero, "etat": "TRANSMIS"})
        if nom in self.perdre_reponse:
            self.perdre_reponse.discard(nom)
            raise httpx.ReadTimeout("réponse perdue", request=requete)
        return httpx.Response(200, content=self.reponses[cle])


def _client(opco: OpcoIdempotent) -> ClientOpco:
    return ClientOpco(
        "https://opco.test/atlas",
        "cle",
        opco="atlas",
        politique=PolitiqueReessai(tentatives=1, dormir=lambda _: None),
        transport=httpx.MockTransport(opco),
    )


def _cerfa(nom: str) -> dict[str, object]:
    return {"cerfa": {"apprenti": {"nom": nom}, "employeur": {"codeIdcc": "1486"}}}


def test_preparer_ecrit_avant_envoi_et_reconnait_le_meme_contenu(tmp_path: Path) -> None:
    chemin = tmp_path / "j.sqlite"
    with Journal(chemin) as journal:
        premier = journal.preparer("atlas", "dossier-v2", _cerfa("A"), source="a.json")
        assert premier.statut == A_ENVOYER and len(premier.cle_idempotence) == 32
    assert stat.S_IMODE(chemin.stat().st_mode) == 0o600
    with Journal(chemin) as journal:
        second = journal.preparer("atlas", "dossier-v2", _cerfa("A"), source="copie.json")
        autre = journal.preparer("atlas", "dossier-v2", _cerfa("B"))
        assert second.id == premier.id and second.cle_idempotence == premier.cle_idempotence
        assert autre.cle_idempotence != premier.cle_idempotence
        assert [e.id for e in journal.en_suspens()] == [premier.id, autre.id]


def test_reponse_perdue_puis_relance_meme_cle_sans_doublon(tmp_path: Path) -> None:
    opco = OpcoIdempotent()
    opco.perdre_reponse.add("B")
    opco.refuser.add("C")
    with Journal(tmp_path / "j.sqlite") as journal, _client(opco) as client:
        expediteur = Expediteur(journal, lambda _: client, concurrence=2)
        envois = [journal.preparer("atlas", "dossier-v2", _cerfa(n)) for n in "ABC"]
        issues = {r.source: r.issue for r in expediteur.expedier(envois)}
        assert sorted(issues.values()) == sorted([ENVOYE, ISSUE_ECHEC, ISSUE_REFUSE])
        assert journal.compter() == {ACCEPTE: 1, ECHEC: 1, REFUSE: 1}
        refuse = journal.envoi(envois[2].id)
        assert refuse is not None and refuse.erreurs[0].champ == "cerfa.employeur.siret"
        # Prochain lancement : seul l'envoi au sort inconnu repart, avec la même clé.
        (suspens,) = list(journal.en_suspens())
        assert suspens.id == envois[1].id
        (resultat,) = list(expediteur.expedier(journal.en_suspens()))
        assert resultat.issue == ENVOYE and resultat.numero_interne == "N2"
        assert journal.compter() == {ACCEPTE: 2, REFUSE: 1}
    assert len(opco.dossiers) == 2


def test_envoi_vu_deux_fois_dans_un_lancement_part_une_fois(tmp_path: Path) -> None:
    opco = OpcoIdempotent()
    with Journal(tmp_path / "j.sqlite") as journal, _client(opco) as client:
        envoi = journal.preparer("atlas", "dossier-v2", _cerfa("A"))
        resultats = list(Expediteur(journal, lambda _: client).expedier([envoi, envoi]))
    assert len(resultats) == 1 and len(opco.dossiers) == 1


def test_opco_non_configure_donne_un_echec_explique(tmp_path: Path) -> None:
    def aucun(opco: str) -> ClientOpco:
        raise KeyError(f"OPCO « {opco} » non configuré")

    with Journal(tmp_path / "j.sqlite") as journal:
        envoi = journal.preparer("akto", "dossier-v2", _cerfa("A"))
        (resultat,) = list(Expediteur(journal, aucun).expedier([envoi]))
        assert resultat.issue == ISSUE_ECHEC and "non configuré" in resultat.motifs[0]
        assert journal.compter() == {ECHEC: 1}


def test_synchronisation_stockee(tmp_path: Path) -> None:
    from tests.client.faux_opco import FauxOpco, json

    faux = FauxOpco()
    faux.ajouter("/atlas/v1/dossiers/etats", json(200, enr.page_etats(1, 2, ["a1", "a7"])))
    with Journal(tmp_path / "j.sqlite") as journal, faux.client() as client:
        assert journal.enregistrer_etats("atlas", client.etats_dossiers()) == 2
        journal.enregistrer_dossier(
            "atlas",
            DossierLu.lire({**enr.DOSSIER_DATES_DECALEES, "cerfa": {"numeroInterne": "a1"}}),
        )
        assert {d["numero_interne"]: d["etat"] for d in journal.dossiers()} == {
            "a1": None,
            "a7": "RUPTURE",
        }
        echeances = journal.echeances("atlas", "a1")
        assert [e.montant_total for e in echeances] == [Decimal("2450.10"), Decimal("2400.00")]
        assert journal.prochain_numero("FAC-2026") == 1
        assert journal.prochain_numero("FAC-2026") == 2


def test_envoyer_sans_fichier_reprend_les_envois_en_suspens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from apicfa.cli import app
    from apicfa.client import configuration as conf

    opco = OpcoIdempotent()
    monkeypatch.setenv(conf.VARIABLE_CHEMIN, str(tmp_path / "c.json"))
    conf.enregistrer(
        conf.Configuration(opcos={"atlas": conf.ReglageOpco("atlas", "https://opco.test", "k")})
    )
    monkeypatch.setattr(conf.Configuration, "client", lambda self, code, **_: _client(opco))
    with Journal(tmp_path / "j.sqlite") as journal:
        journal.preparer("atlas", "dossier-v2", _cerfa("A"), source="a.json")
    resultat = CliRunner().invoke(
        app, ["cfa", "envoyer", "--journal", str(tmp_path / "j.sqlite")], env={"COLUMNS": "200"}
    )
    assert resultat.exit_code == 0, resultat.output
    assert "envoyés" in resultat.output and len(opco.dossiers) == 1
    with Journal(tmp_path / "j.sqlite") as journal:
        assert journal.compter() == {ACCEPTE: 1}
