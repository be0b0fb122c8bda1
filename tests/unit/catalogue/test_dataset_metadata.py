"""What a department says about its dataset (title, 担当課, contact, update frequency,
keywords, licence): accepted as a clerk writes it, refused with a message in both
languages that names the field and the value."""

from __future__ import annotations

import pytest

from portal.catalogue.metadata import DatasetMetadata, MetadataInvalid

GIVEN = {
    "title": "AED設置場所一覧",
    "description": "市内の AED の設置場所です。",
    "department": "健康増進課",
    "contact_phone": "０５４−６２６−１１３９",
    "contact_email": "kenko@city.example.jp",
    "contact_url": "https://city.example.jp/form?id=1",
    "update_frequency": "毎月",
    "keywords": "AED、救急, AED",
    "license": "CC-BY-4.0",
}


def test_a_clerks_metadata_is_read_as_the_catalogue_will_hold_it() -> None:
    metadata = DatasetMetadata.parse(GIVEN)
    assert metadata.contact_phone == "054-626-1139"  # full-width digits, canonical hyphens
    assert metadata.update_frequency == "monthly"
    assert metadata.frequency is not None and metadata.frequency.ja == "毎月"
    assert metadata.frequency.uri.endswith("/frequency/MONTHLY")
    assert metadata.keywords == ("AED", "救急")
    assert metadata.license == "cc-by"
    assert DatasetMetadata.parse(metadata.to_dict()) == metadata  # datapackage.json round trip


def test_fields_left_empty_in_a_form_are_absent_not_wrong() -> None:
    metadata = DatasetMetadata.parse(dict.fromkeys(GIVEN, ""))
    assert metadata.empty and metadata.to_dict() == {} and metadata.to_extras() == []


@pytest.mark.parametrize(
    ("field", "value", "english", "japanese"),
    [
        ("contact_email", "kenko(at)city", "'kenko(at)city' is not an email address",
         "問い合わせメールアドレス: 「kenko(at)city」はメールアドレスではありません"),
        ("contact_url", "javascript:alert(1)", "'javascript:alert(1)' is not an http(s) URL",
         "問い合わせフォームURL: 「javascript:alert(1)」は http(s) の URL ではありません"),
        ("contact_phone", "内線123", "'内線123' is not a Japanese phone number",
         "問い合わせ電話番号: 「内線123」は日本の電話番号ではありません"),
        ("update_frequency", "ときどき", "'ときどき' is not an update frequency",
         "更新頻度: 「ときどき」は更新頻度ではありません"),
        ("license", "all-rights-reserved", "'all-rights-reserved' is not an open licence",
         "ライセンス: 「all-rights-reserved」はオープンライセンスではありません"),
        ("keywords", ["AED・救急"], "'AED・救急' cannot be a keyword",
         "キーワード: 「AED・救急」はキーワードにできません"),
        ("department", "課" * 201, "department: longer than 200 characters",
         "担当課: 200文字を超えています"),
        ("owner", "x", "owner: unknown field", "owner: 不明な項目です"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_refused_naming_the_field_in_both_languages(
    field: str, value: object, english: str, japanese: str
) -> None:
    with pytest.raises(MetadataInvalid) as refused:
        DatasetMetadata.parse({**GIVEN, field: value})
    body = refused.value.to_dict()
    assert body["code"] == "metadata-invalid" and body["status"] == 422
    assert english in body["message_en"]
    assert japanese in body["message_ja"]


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(MetadataInvalid) as refused:
        DatasetMetadata.parse({"contact_email": "no", "contact_url": "ftp://city.example.jp"})
    assert "contact email" in refused.value.message_en
    assert "contact form URL" in refused.value.message_en


def test_metadata_reads_back_from_a_package_and_ignores_what_it_would_refuse() -> None:
    metadata = DatasetMetadata.parse(GIVEN)
    package = {
        "title": metadata.title, "notes": metadata.description, "license_id": "cc-by",
        "maintainer": metadata.department, "maintainer_email": metadata.contact_email,
        "tags": [{"name": "自治体標準ODS"}, {"name": "AED"}, {"name": "救急"}],
        "extras": [*metadata.to_extras(), {"key": "portal_rows", "value": "3"}],
    }  # fmt: skip
    assert DatasetMetadata.from_package(package, not_keywords={"自治体標準ODS"}) == metadata
    foreign = {"maintainer_email": "not an address", "maintainer": "情報政策課", "tags": None}
    assert DatasetMetadata.from_package(foreign) == DatasetMetadata(department="情報政策課")
