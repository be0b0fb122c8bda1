"""The catalogue as DCAT-AP 3.0.1 (an rdflib Graph): one dcat:Dataset per public dataset with
its distributions, conformant to DCAT-AP's shapes (the portal's own, tests/data/dcat-ap; SEMIC's,
by hand: `python -m portal.dcat.check`) and stated where ckanext-dcat's RDF harvester reads it
(licence on each distribution, media types it can name, resource descriptions, an English title
it can make a CKAN name of)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from portal.catalogue.base import Package
from portal.catalogue.licences import licence
from portal.catalogue.meta import PortalMeta
from portal.catalogue.metadata import DatasetMetadata
from portal.composition import Portal
from portal.dcat import vocabularies as vocab
from portal.localgov.english import english_name
from portal.present import organization_title_en, publisher_body, title_en

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# What stays as it is in an IRI: URL delimiters and what is already percent-encoded.
IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def iri(url: str) -> URIRef:
    """A URL as an IRI every RDF syntax can write: what a file name may hold (spaces, <>,
    quotes, braces, non-ASCII letters) percent-encoded as UTF-8; an existing %xx kept."""
    return URIRef(quote(url, safe=IRI_SAFE))


class CatalogueGraph:
    """Builds the graph; each shared node (licence, theme, publisher…) is described once."""

    def __init__(self, svc: Portal, root: str) -> None:
        self.svc, self.root = svc, root
        self.g = Graph()
        for prefix, space in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF),
                              ("vcard", VCARD), ("skos", SKOS)):  # fmt: skip
            self.g.bind(prefix, space)

    def add(self, s: URIRef | BNode, p: URIRef, o: URIRef | BNode | Literal) -> None:
        self.g.add((s, p, o))

    def typed(self, node: URIRef, *classes: URIRef) -> URIRef:
        for cls in classes:
            self.add(node, RDF.type, cls)
        return node

    # The catalogue

    def catalogue(self, packages: list[Package]) -> Graph:
        node = self.typed(iri(f"{self.root}/catalog"), DCAT.Catalog)
        title = self.svc.catalogue.status_show().get("site_title", "portal")
        self.add(node, DCTERMS.title, Literal(title))
        publisher, name_ja, name_en = self.catalogue_publisher(packages, title)
        self.add(node, DCTERMS.publisher, publisher)
        for lang, name in (("ja", name_ja), ("en", name_en)):
            described = vocab.catalogue_description(name, lang)
            self.add(node, DCTERMS.description, Literal(described, lang=lang))
        self.add(node, FOAF.homepage, self.typed(iri(f"{self.root}/"), FOAF.Document))
        self.add(node, DCTERMS.language, self.language())
        scheme, scheme_title = vocab.theme_scheme()
        taxonomy = self.typed(URIRef(scheme), SKOS.ConceptScheme)
        self.add(taxonomy, DCTERMS.title, Literal(scheme_title, lang="en"))
        self.add(node, DCAT.themeTaxonomy, taxonomy)
        created = [p["metadata_created"] for p in packages if p.get("metadata_created")]
        modified = [p["metadata_modified"] for p in packages if p.get("metadata_modified")]
        if created:
            self.add(node, DCTERMS.issued, Literal(min(created), datatype=XSD.dateTime))
        if modified:
            self.add(node, DCTERMS.modified, Literal(max(modified), datatype=XSD.dateTime))
        for package in packages:
            self.add(node, DCAT.dataset, self.dataset(package))
        return self.g

    def catalogue_publisher(self, packages: list[Package], title: str) -> tuple[URIRef, str, str]:
        """Who runs the portal: settings.organization when it names one organization (no
        {lgcode} in it), else the one organization publishing, else the portal by its title."""
        setting = self.svc.settings.organization
        names = {str((p.get("organization") or {}).get("name")) for p in packages}
        name = setting if "{" not in setting else (names.pop() if len(names) == 1 else None)
        org = self.svc.catalogue.organization(name) if name else None
        if name and org is not None:
            node = self.organization(org)
            return node, str(org.get("title") or name), self.english(org)
        node = self.typed(iri(f"{self.root}/#publisher"), FOAF.Agent)
        self.add(node, FOAF.name, Literal(title))
        return node, title, title

    def english(self, org: dict[str, Any]) -> str:
        return str(organization_title_en(org, self.svc.directory) or org.get("name"))

    def organization(self, org: dict[str, Any]) -> URIRef:
        """A municipality (or department) as foaf:Agent, named in Japanese and English."""
        node = iri(f"{self.root}/organizations/{org['name']}")
        if (node, RDF.type, FOAF.Agent) in self.g:
            return node
        self.typed(node, FOAF.Agent, FOAF.Organization)
        self.add(node, FOAF.name, Literal(org.get("title") or org["name"], lang="ja"))
        self.add(node, FOAF.name, Literal(self.english(org), lang="en"))
        kind, label = vocab.publisher_type()
        self.add(node, DCTERMS.type, self.concept(kind, label))
        return node

    def concept(self, uri: str, label_en: str) -> URIRef:
        node = self.typed(URIRef(uri), SKOS.Concept)
        self.add(node, SKOS.prefLabel, Literal(label_en, lang="en"))
        return node

    def language(self) -> URIRef:
        return self.typed(URIRef(vocab.language()), DCTERMS.LinguisticSystem)

    # A dataset

    def dataset(self, package: Package) -> URIRef:
        node = self.typed(iri(f"{self.root}/datasets/{package['name']}"), DCAT.Dataset)
        meta = PortalMeta.from_package(package)
        title = package.get("title", "")
        self.add(node, DCTERMS.identifier, Literal(package["name"]))
        self.add(node, DCTERMS.title, Literal(title, lang="ja"))
        english = title_en(package, self.svc)
        if english and english != title:  # what a CKAN in English names the dataset from
            self.add(node, DCTERMS.title, Literal(english, lang="en"))
        # dct:description is mandatory: the title when the department wrote none
        self.add(node, DCTERMS.description, Literal(package.get("notes") or title, lang="ja"))
        for key, term in (("metadata_created", DCTERMS.issued),
                          ("metadata_modified", DCTERMS.modified)):  # fmt: skip
            if package.get(key):
                self.add(node, term, Literal(package[key], datatype=XSD.dateTime))
        for tag in package.get("tags", []):
            self.add(node, DCAT.keyword, Literal(tag["name"], lang="ja"))
        licence_node = self.licence(package.get("license_id"))
        if licence_node is not None:
            self.add(node, DCTERMS.license, licence_node)
        self.add(node, DCAT.landingPage, self.typed(node, FOAF.Document))
        self.add(node, DCTERMS.language, self.language())
        self.standard(node, package, meta.standard)
        org = package.get("organization") or {}
        if org.get("name"):
            self.add(node, DCTERMS.publisher, self.organization(org))
        self.spatial(node, package)
        self.department(node, DatasetMetadata.from_package(package))
        for resource in package.get("resources", []):
            self.add(node, DCAT.distribution, self.distribution(resource, licence_node))
        return node

    def standard(self, node: URIRef, package: Package, slug: str | None) -> None:
        """dct:conformsTo the standard's Table Schema as this portal serves it (a URL that
        resolves), and the standard's EU data themes."""
        if not slug:
            return
        standard = self.typed(iri(f"{self.root}/api/v1/standards/{slug}"), DCTERMS.Standard)
        definition = self.svc.definition(package)
        if definition is not None:
            self.add(standard, DCTERMS.title, Literal(definition.title_ja, lang="ja"))
            self.add(standard, DCTERMS.title, Literal(definition.title_en, lang="en"))
        self.add(node, DCTERMS.conformsTo, standard)
        for theme in vocab.themes_of(slug):
            self.add(node, DCAT.theme, self.concept(theme.iri, theme.label_en))

    def spatial(self, node: URIRef, package: Package) -> None:
        """dct:spatial: the municipality's area, a dct:Location named in Japanese and English
        with its 全国地方公共団体コード (no public IRI for the code is stable enough to use)."""
        body = publisher_body(package, self.svc.directory)
        if body is None:
            return
        place = BNode()
        self.add(node, DCTERMS.spatial, place)
        self.add(place, RDF.type, DCTERMS.Location)
        self.add(place, SKOS.prefLabel, Literal(body.full_name, lang="ja"))
        self.add(place, SKOS.prefLabel, Literal(english_name(body, self.svc.directory), lang="en"))
        self.add(place, DCTERMS.identifier, Literal(body.lgcode))

    def department(self, node: URIRef, given: DatasetMetadata) -> None:
        """What the department said: dcat:contactPoint (a vCard: 担当課, email, phone, contact
        form) and dct:accrualPeriodicity (the EU frequency URI), when given."""
        if given.frequency:
            frequency = self.typed(URIRef(given.frequency.uri), DCTERMS.Frequency)
            self.add(node, DCTERMS.accrualPeriodicity, frequency)
        contact = (given.department, given.contact_email, given.contact_phone, given.contact_url)
        if not any(contact):
            return
        card = BNode()
        self.add(node, DCAT.contactPoint, card)
        self.add(card, RDF.type, VCARD.Kind)
        self.add(card, RDF.type, VCARD.Organization)
        if given.department:
            self.add(card, VCARD.fn, Literal(given.department, lang="ja"))
        if given.contact_email:
            self.add(card, VCARD.hasEmail, iri(f"mailto:{given.contact_email}"))
        if given.contact_phone:
            phone = given.contact_phone.removeprefix("0")
            self.add(card, VCARD.hasTelephone, iri(f"tel:+81-{phone}"))
        if given.contact_url:
            self.add(card, VCARD.hasURL, iri(given.contact_url))

    def licence(self, license_id: str | None) -> URIRef | None:
        """The licence document, titled as CKAN's licence register titles it: ckanext-dcat
        finds a CKAN licence by its URL (CKAN's are opendefinition.org's) or by this title."""
        found = licence(license_id)
        if found is None:
            return None
        node = self.typed(iri(found.url), DCTERMS.LicenseDocument)
        self.add(node, DCTERMS.title, Literal(found.ckan.title))
        return node

    # A distribution

    def distribution(self, resource: dict[str, Any], licence_node: URIRef | None) -> BNode:
        dist = BNode()
        url = str(resource.get("url", ""))
        url = self.root + url if url.startswith("/") else url
        self.add(dist, RDF.type, DCAT.Distribution)
        self.add(dist, DCTERMS.title, Literal(resource.get("name", "")))
        if resource.get("description"):
            self.add(dist, DCTERMS.description, Literal(resource["description"]))
        self.add(dist, DCAT.accessURL, iri(url))
        self.add(dist, DCAT.downloadURL, iri(url))
        if licence_node is not None:  # ckanext-dcat reads a dataset's licence from here
            self.add(dist, DCTERMS.license, licence_node)
        self.media(dist, resource)
        if resource.get("size"):
            size = Literal(int(resource["size"]), datatype=XSD.nonNegativeInteger)
            self.add(dist, DCAT.byteSize, size)
        return dist

    def media(self, dist: BNode, resource: dict[str, Any]) -> None:
        """dct:format (EU file type) and dcat:mediaType (IANA), both IRIs; the media type
        labelled with its name (text/csv), which ckanext-dcat takes as the resource's."""
        found = vocab.format_of(resource.get("format"))
        if found is not None:
            file_type = self.typed(URIRef(found.file_type), DCTERMS.MediaTypeOrExtent)
            self.add(dist, DCTERMS["format"], file_type)
        media_type = resource.get("mimetype") or (found.media_type if found else None)
        if media_type:
            node = self.typed(iri(vocab.media_type_iri(media_type)), DCTERMS.MediaType)
            self.add(node, RDFS.label, Literal(media_type))
            self.add(dist, DCAT.mediaType, node)


def catalogue_graph(svc: Portal, root: str) -> Graph:
    """The public catalogue as DCAT-AP, its IRIs under `root` (the site's base URL)."""
    return CatalogueGraph(svc, root).catalogue(svc.catalogue.public_packages())
