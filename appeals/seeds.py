"""The appeal taxonomy, its routing rules, and the demo's extra offices.

Categories and rules are real configuration an administrator edits in the
admin; the seeds give a fresh platform a sensible start. The social
organisation below is invented for the demo.
"""

from django.db import transaction

from appeals.models import Category, RoutingRule
from commons.regions.models import Department, Level, Region, Sector

# code, hours to first response, hours to resolution, sector, level,
# then the name and help text in zh-hans, en, bo, ii.
CATEGORIES = [
    (
        "roads",
        48,
        240,
        Sector.HOUSING,
        Level.COUNTY,
        {
            "zh_hans": ("道路和公共设施", "路面破损、路灯不亮、井盖缺失等"),
            "en": (
                "Roads and public facilities",
                "Broken roads, dark street lights, missing drain covers",
            ),
            "bo": (
                "ལམ་དང་སྤྱི་སྤྱོད་སྒྲིག་ཆས",
                "ལམ་ངོས་ཆག་སྐྱོན། ལམ་འགྲམ་གློག་སྒྲོན་མི་འབར་བ། ཆུ་ཁུང་ཁ་གཡོགས་མེད་པ་སོགས",
            ),
            "ii": ("ꄉꇐꌋꆀꇦꇨꎸꏀ", "ꇐꂳꁄꌟ、ꇐꄒꀮꆽ、ꏡꇤꐒꏀꄑ"),
        },
    ),
    (
        "water-power",
        24,
        120,
        Sector.HOUSING,
        Level.COUNTY,
        {
            "zh_hans": ("供水供电", "停水、停电、水质问题"),
            "en": ("Water and electricity", "No water, no power, dirty water"),
            "bo": ("ཆུ་དང་གློག་མཁོ་སྤྲོད", "ཆུ་ཆད་པ། གློག་ཆད་པ། ཆུའི་སྤུས་ཚད་ཀྱི་དཀའ་ངལ"),
            "ii": ("ꇦꎻꇦꄅ", "ꄝꎻ、ꄝꄅ、ꎻꍝꃬꄝ"),
        },
    ),
    (
        "sanitation",
        24,
        72,
        Sector.GENERAL,
        Level.TOWNSHIP,
        {
            "zh_hans": ("环境卫生", "垃圾未清运、污水、脏乱"),
            "en": ("Rubbish and cleanliness", "Rubbish not collected, sewage, mess"),
            "bo": ("གད་སྙིགས་དང་གཙང་སྦྲ", "གད་སྙིགས་སྐྱེལ་འདོར་མ་བྱས་པ། བཙོག་ཆུ། ཁོར་ཡུག་མི་གཙང་བ"),
            "ii": ("ꉸꏢꃬꎶ", "ꆿꏠꃬꏼꒉ、ꃴꎻ、ꊖꇅ"),
        },
    ),
    (
        "elderly-care",
        24,
        120,
        Sector.CIVIL_AFFAIRS,
        Level.COUNTY,
        {
            "zh_hans": ("养老服务", "老人照料、助餐、上门探访"),
            "en": (
                "Care for older people",
                "Care, meals and home visits for older people",
            ),
            "bo": (
                "ལོ་ན་རྒས་པའི་ཞབས་ཞུ",
                "ལོ་ན་རྒས་པར་ལྟ་སྐྱོང་། ཟ་མ་མཁོ་སྤྲོད། ཁྱིམ་དུ་ཕེབས་ནས་འཚམས་འདྲི",
            ),
            "ii": ("ꑶꇀꃛꃶ", "ꇀꏓꍈꆽ、ꍗꊶ、ꎭꃂꄣꃒ"),
        },
    ),
    (
        "social-assistance",
        48,
        240,
        Sector.CIVIL_AFFAIRS,
        Level.COUNTY,
        {
            "zh_hans": ("社会救助", "低保、临时救助、困难帮扶"),
            "en": (
                "Social assistance",
                "Minimum living allowance, emergency help, hardship",
            ),
            "bo": (
                "སྤྱི་ཚོགས་རོགས་སྐྱོར",
                "འཚོ་བའི་ཆེས་དམའ་བའི་འགན་སྲུང་། ཛ་དྲག་རོགས་སྐྱོར། འཚོ་བ་དཀའ་ངལ་ཅན་ལ་རོགས་སྐྱོར",
            ),
            "ii": ("ꎸꉮꏢꍗ", "ꄀꀟ、ꆺꏃꏢꍗ、ꈐꆆꀞꃛ"),
        },
    ),
    (
        "health",
        24,
        120,
        Sector.HEALTH,
        Level.COUNTY,
        {
            "zh_hans": ("医疗卫生", "看病、家庭医生、疫苗接种"),
            "en": ("Health", "Seeing a doctor, family doctors, vaccination"),
            "bo": ("འཕྲོད་བསྟེན", "སྨན་པར་བསྟན་པ། ཁྱིམ་ཚང་སྨན་པ། འགོག་རྨེན་ཁབ་རྒྱག་པ"),
            "ii": ("ꑱꆾꃬꎶ", "ꈁꀘ、ꏤꄝꑱꎶ、ꑳꂴꏤꍊ"),
        },
    ),
    (
        "housing-safety",
        24,
        168,
        Sector.HOUSING,
        Level.COUNTY,
        {
            "zh_hans": ("住房安全", "危房、漏雨、地质灾害隐患"),
            "en": ("Safe housing", "Unsafe houses, leaking roofs, landslide risk"),
            "bo": ("ཁང་ཁྱིམ་བདེ་འཇགས", "ཉེན་ཁ་ཅན་གྱི་ཁང་པ། ཐོག་ནས་ཆར་ཆུ་འཛག་པ། ས་རུད་ཀྱི་ཉེན་ཁ"),
            "ii": ("ꍗꃔꀈꊹ", "ꃪꃔ、ꇅꒈ、ꄂꍝꊔꉳꑲꉷ"),
        },
    ),
    (
        "neighbourhood-safety",
        12,
        72,
        Sector.PUBLIC_SECURITY,
        Level.COUNTY,
        {
            "zh_hans": ("治安和纠纷", "邻里纠纷、治安隐患"),
            "en": (
                "Safety and disputes",
                "Quarrels between neighbours, safety worries",
            ),
            "bo": ("སྤྱི་བདེ་དང་རྩོད་གཞི", "ཁྱིམ་མཚེས་བར་གྱི་རྩོད་གཞི། སྤྱི་བདེའི་ཉེན་ཁ"),
            "ii": ("ꍝꀈꌋꆀꏠꃑ", "ꆺꆸꏠꃑ、ꍝꀈꑲꉷ"),
        },
    ),
    (
        "jobs-pensions",
        48,
        240,
        Sector.SOCIAL_SECURITY,
        Level.COUNTY,
        {
            "zh_hans": ("就业和社保", "找工作、养老保险、医保"),
            "en": (
                "Jobs and social insurance",
                "Finding work, pensions, medical insurance",
            ),
            "bo": (
                "ལས་ཞུགས་དང་སྤྱི་ཚོགས་འགན་སྲུང",
                "ལས་ཀ་འཚོལ་བ། རྒས་གསོའི་ཉེན་བཟོད། སྨན་བཅོས་ཉེན་བཟོད",
            ),
            "ii": ("ꏢꑷꌋꆀꎸꀟ", "ꍇꇦꊙ、ꑶꇀꀟꑢ、ꑱꀟ"),
        },
    ),
    (
        "schools",
        48,
        240,
        Sector.EDUCATION,
        Level.COUNTY,
        {
            "zh_hans": ("上学和教育", "入学、助学、校车"),
            "en": ("School and education", "School places, grants, school buses"),
            "bo": ("སློབ་གྲྭ་དང་སློབ་གསོ", "སློབ་གྲྭར་འཛུལ་བ། སློབ་སྦྱོང་རོགས་སྐྱོར། སློབ་གྲྭའི་རླངས་འཁོར"),
            "ii": ("ꎭꑮꌋꆀꏦꒉ", "ꏖꑮ、ꍗꑮ、ꑣꍭ"),
        },
    ),
    (
        "pollution",
        24,
        168,
        Sector.ECOLOGY,
        Level.COUNTY,
        {
            "zh_hans": ("生态环境", "污染、噪音、乱砍滥伐"),
            "en": ("Environment", "Pollution, noise, illegal logging"),
            "bo": ("སྐྱེ་ཁམས་ཁོར་ཡུག", "ཁོར་ཡུག་བཙོག་བཤལ། ཅ་ཅོ། ཁྲིམས་འགལ་ཤིང་གཅོད"),
            "ii": ("ꎶꄣꉸꏢ", "ꃴꏇ、ꊖꑱ、ꇅꈀꇁꃔ"),
        },
    ),
    (
        "farming",
        48,
        240,
        Sector.AGRICULTURE,
        Level.COUNTY,
        {
            "zh_hans": ("农业农村", "种养殖、农机、惠农补贴"),
            "en": (
                "Farming and the village",
                "Crops, livestock, farm machines, subsidies",
            ),
            "bo": ("ཞིང་ལས་དང་གྲོང་གསེབ", "ལོ་ཏོག་དང་སྒོ་ཕྱུགས། ཞིང་ལས་འཕྲུལ་ཆས། ཁ་སྣོན་མ་དངུལ"),
            "ii": ("ꆉꑷꆉꋄ", "ꍊꑶꍞ、ꆉꏠ、ꉮꆉꀭꄟ"),
        },
    ),
    (
        "other",
        48,
        240,
        None,
        None,
        {
            "zh_hans": ("其他", "以上都不是"),
            "en": ("Something else", "None of the above"),
            "bo": ("གཞན་དག", "གོང་གི་གང་ཡང་མིན"),
            "ii": ("ꏿꄡ", "ꑲꎭꄌꀮꏂ"),
        },
    ),
]

# Invented for the demo: a social organisation that takes on elderly care in
# Jinjiang district, showing how a more specific rule wins.
DEMO_ORGANISATION = {
    "code": "elder-care-org-510104",
    "name_zh_hans": "锦江区长者关爱服务社（演示）",
    "name_en": "Jinjiang Elder Care Association (demo)",
    "sector": Sector.SOCIAL_ORGANISATION,
    "is_government": False,
}


def seed_categories() -> int:
    """Create missing categories and rules; never overwrite an admin's edits."""
    created = 0
    with transaction.atomic():
        for position, row in enumerate(CATEGORIES):
            code, first, resolution, sector, level, names = row
            texts = {}
            for language, (name, help_text) in names.items():
                texts[f"name_{language}"] = name
                texts[f"help_text_{language}"] = help_text
            category, is_new = Category.objects.get_or_create(
                code=code,
                defaults={
                    "first_response_hours": first,
                    "resolution_hours": resolution,
                    "position": position,
                    **texts,
                },
            )
            created += is_new
            if is_new and sector is not None:
                RoutingRule.objects.create(
                    category=category, region=None, sector=sector, level=level
                )
    return created


def seed_demo() -> None:
    seed_categories()
    jinjiang = Region.objects.get(code="510104")
    organisation, _created = Department.objects.get_or_create(
        code=DEMO_ORGANISATION["code"],
        defaults={**DEMO_ORGANISATION, "jurisdiction": jinjiang},
    )
    RoutingRule.objects.get_or_create(
        category=Category.objects.get(code="elderly-care"),
        region=jinjiang,
        defaults={"department": organisation},
    )
