"""Real industrial belts (产业带) for the demo, with round, plausible figures.

Figures are the order of magnitude reported for each belt in public sources, rounded; they make
the pages look like the real platform and are not statistics to quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

BILLION = Decimal(1_000_000_000)

# A belt's demo supplier: (company name, city, main category slugs, business type, verified).
Supplier = tuple[str, str, list[str], str, bool]


@dataclass(frozen=True)
class DemoBelt:
    slug: str
    name_en: str
    name_zh: str
    province: str
    city: str
    city_zh: str
    status: str
    firms: int
    output_billion_cny: int
    employees: int
    export_share: int
    specialties: list[str]
    description_en: str
    description_zh: str
    suppliers: list[Supplier] = field(default_factory=list)

    @property
    def annual_output_cny(self) -> Decimal:
        return Decimal(self.output_billion_cny) * BILLION


def _plush(*factories: tuple[str, str, bool]) -> list[Supplier]:
    """Plush toy factories (name, city, verified) that make mascots and stuffed animals."""
    return [
        (name, city, ["mascot-toys", "stuffed-animals"], "manufacturer", verified) for name, city, verified in factories
    ]


BELTS: list[DemoBelt] = [
    DemoBelt(
        slug="baigou-bags",
        name_en="Baigou bags",
        name_zh="白沟箱包",
        province="hebei",
        city="Baigou, Baoding",
        city_zh="保定白沟",
        status="live",
        firms=4500,
        output_billion_cny=30,
        employees=150000,
        export_share=20,
        specialties=["bags-luggage", "backpacks", "school-bags", "transparent-backpacks", "handbags", "luggage"],
        description_en=(
            "Baigou New Town near Baoding is China's largest bag and luggage market. Thousands of workshops "
            "and factories make school bags, backpacks, handbags and trolley cases, and buy their fabric, "
            "zips and hardware in the same town, so samples take days and large orders weeks."
        ),
        description_zh=(
            "保定白沟新城是全国最大的箱包集散地。数千家工厂和作坊生产书包、双肩包、手提包和拉杆箱，"
            "面料、拉链和五金配件在本地即可采购，打样只需数天，大单数周即可交货。"
        ),
        suppliers=[
            (
                "Baoding Hengtai Luggage Co., Ltd.",
                "Baigou",
                ["school-bags", "transparent-backpacks"],
                "manufacturer",
                True,
            ),
            ("Baigou Xinda Bags Factory", "Baigou", ["backpacks", "laptop-backpacks"], "manufacturer", True),
            ("Hebei Meilin Handbag Co., Ltd.", "Gaobeidian", ["handbags", "tote-bags"], "manufacturer", False),
            ("Baigou Yuanfeng Trading Co., Ltd.", "Baigou", ["bags-luggage"], "trading", False),
        ],
    ),
    DemoBelt(
        slug="taizhou-plastics",
        name_en="Taizhou plastics",
        name_zh="台州塑料",
        province="zhejiang",
        city="Huangyan, Taizhou",
        city_zh="台州黄岩",
        status="live",
        firms=3000,
        output_billion_cny=60,
        employees=200000,
        export_share=30,
        specialties=["plastics-household", "waste-bins", "sorting-bins", "storage", "plastic-molds"],
        description_en=(
            "Taizhou's Huangyan district is known as China's mould town. Its injection-moulding plants make "
            "household plastics — waste and sorting bins, storage boxes, kitchenware — and the moulds for them."
        ),
        description_zh=(
            "台州黄岩被誉为“中国模具之乡”。当地注塑企业生产垃圾桶、分类垃圾桶、收纳箱、厨房用品等日用塑料制品，"
            "并自行开发模具。"
        ),
        suppliers=[
            (
                "Taizhou Lvyuan Plastic Products Co., Ltd.",
                "Huangyan",
                ["sorting-bins", "pedal-bins"],
                "manufacturer",
                True,
            ),
            ("Zhejiang Huangyan Jiahe Mould Co., Ltd.", "Huangyan", ["injection-molds"], "manufacturer", True),
            (
                "Taizhou Haoyu Household Co., Ltd.",
                "Luqiao",
                ["storage-boxes", "food-containers"],
                "manufacturer",
                False,
            ),
        ],
    ),
    DemoBelt(
        slug="zhili-childrens-clothing",
        name_en="Zhili children's clothing",
        name_zh="织里童装",
        province="zhejiang",
        city="Zhili, Huzhou",
        city_zh="湖州织里",
        status="live",
        firms=13000,
        output_billion_cny=70,
        employees=300000,
        export_share=5,
        specialties=["childrens-clothing", "baby-clothing", "kids-outerwear", "kids-everyday"],
        description_en=(
            "Zhili town in Huzhou makes more children's clothing than anywhere else in China: over ten thousand "
            "garment firms, from small sewing workshops to brand factories, with fabric and printing close by."
        ),
        description_zh=(
            "湖州织里镇是全国最大的童装产业基地，拥有上万家服装企业，从小型缝纫作坊到品牌工厂，面料、印花配套齐全。"
        ),
        suppliers=[
            (
                "Huzhou Tongle Children's Wear Co., Ltd.",
                "Zhili",
                ["kids-t-shirts", "kids-dresses"],
                "manufacturer",
                True,
            ),
            ("Zhili Xiaoxiong Garment Factory", "Zhili", ["kids-down-jackets", "kids-coats"], "manufacturer", False),
        ],
    ),
    DemoBelt(
        slug="chenghai-toys",
        name_en="Chenghai toys",
        name_zh="澄海玩具",
        province="guangdong",
        city="Chenghai, Shantou",
        city_zh="汕头澄海",
        status="live",
        firms=4000,
        output_billion_cny=50,
        employees=120000,
        export_share=40,
        specialties=["toys", "plastic-toys", "plush-toys", "mascot-toys", "electronic-toys"],
        description_en=(
            "Chenghai district of Shantou is the toy capital of China. Its factories make plastic, electronic "
            "and plush toys, mascots and building blocks, and export them to more than a hundred countries."
        ),
        description_zh=(
            "汕头澄海区是“中国玩具礼品城”，生产塑料玩具、电子玩具、毛绒玩具、吉祥物和积木，"
            "产品出口到一百多个国家和地区。"
        ),
        suppliers=[
            (
                "Shantou Chenghai Leyuan Toys Co., Ltd.",
                "Chenghai",
                ["mascot-toys", "stuffed-animals"],
                "manufacturer",
                True,
            ),
            (
                "Chenghai Jiale Plastic Toys Factory",
                "Chenghai",
                ["building-blocks", "toy-vehicles"],
                "manufacturer",
                True,
            ),
            ("Guangdong Xingchen Electronic Toys Co., Ltd.", "Chenghai", ["rc-toys"], "both", False),
            (
                "Shantou Mengqu Plush Toys Factory",
                "Chenghai",
                ["mascot-toys", "stuffed-animals"],
                "manufacturer",
                True,
            ),
            *_plush(
                ("Shantou Chenghai Huanle Plush Toys Co., Ltd.", "Chenghai", True),
                ("Shantou Chenghai Xingyao Toys Factory", "Chenghai", False),
                ("Shantou Baobeixiong Plush Products Co., Ltd.", "Chenghai", True),
                ("Shantou Chenghai Jinlu Toys Industrial Co., Ltd.", "Chenghai", True),
                ("Shantou Chenghai Tongxin Mascot Crafts Factory", "Chenghai", False),
                ("Guangdong Yuefeng Toys Co., Ltd.", "Chenghai", True),
            ),
        ],
    ),
    DemoBelt(
        slug="yiwu-small-commodities",
        name_en="Yiwu small commodities",
        name_zh="义乌小商品",
        province="zhejiang",
        city="Yiwu, Jinhua",
        city_zh="金华义乌",
        status="live",
        firms=75000,
        output_billion_cny=200,
        employees=500000,
        export_share=60,
        specialties=["small-commodities", "stationery", "festive-goods", "accessories"],
        description_en=(
            "Yiwu's International Trade City is the world's largest wholesale market for small commodities: "
            "stationery, festive goods, jewellery and hair accessories, supplied by factories across Zhejiang."
        ),
        description_zh=(
            "义乌国际商贸城是全球最大的小商品批发市场，汇集文具、节庆用品、饰品、发饰等商品，货源来自浙江各地的工厂。"
        ),
        suppliers=[
            ("Yiwu Huacai Stationery Co., Ltd.", "Yiwu", ["pens", "notebooks"], "manufacturer", True),
            (
                "Yiwu Xinyue Festive Goods Factory",
                "Yiwu",
                ["christmas-decorations", "party-supplies"],
                "manufacturer",
                False,
            ),
            ("Yiwu Jinshi Accessories Trading Co., Ltd.", "Yiwu", ["jewellery", "hair-accessories"], "trading", True),
            ("Yiwu Kaixin Plush Toys Co., Ltd.", "Yiwu", ["mascot-toys", "stuffed-animals"], "manufacturer", True),
            *_plush(
                ("Yiwu Letao Plush Toys Factory", "Yiwu", False),
                ("Zhejiang Yiwu Anqier Toys Co., Ltd.", "Yiwu", True),
                ("Yiwu Fotang Mengchong Toys Factory", "Fotang", True),
            ),
        ],
    ),
    # The three plush belts below, with Chenghai's and Yiwu's plush factories, are the 32 factories
    # that quote on the Brazilian buyer's 300,000 mascot toys (story 3, orders/demo/mascots.py).
    DemoBelt(
        slug="yangzhou-plush-toys",
        name_en="Yangzhou plush toys",
        name_zh="扬州毛绒玩具",
        province="jiangsu",
        city="Weiyang, Yangzhou",
        city_zh="扬州维扬",
        status="live",
        firms=1000,
        output_billion_cny=15,
        employees=120000,
        export_share=60,
        specialties=["plush-toys", "mascot-toys", "stuffed-animals"],
        description_en=(
            "Yangzhou, on the Grand Canal in Jiangsu, calls itself China's capital of plush toys and gifts: "
            "over a thousand toy firms around the Weiyang development zone and its toy market make about half "
            "of China's plush toys, with pattern makers, embroidery and stuffing workshops close by."
        ),
        description_zh=(
            "江苏扬州被誉为“中国毛绒玩具礼品之都”，一千多家玩具企业集聚在维扬经济开发区和玩具城周边，"
            "毛绒玩具产量约占全国一半，打版、绣花、充棉等配套齐全。"
        ),
        suppliers=_plush(
            ("Yangzhou Weiyang Jinxiong Plush Toys Co., Ltd.", "Yangzhou", True),
            ("Yangzhou Hanjiang Ruifu Toys Factory", "Yangzhou", True),
            ("Yangzhou Weiyang Rongqu Crafts Co., Ltd.", "Yangzhou", True),
            ("Yangzhou Jiangdu Xinyue Plush Products Factory", "Yangzhou", False),
            ("Jiangsu Yangzhou Baobeile Toys Co., Ltd.", "Yangzhou", True),
            ("Gaoyou Tianshi Plush Toys Co., Ltd.", "Gaoyou", True),
            ("Yizheng Xiaolu Mascot Toys Factory", "Yizheng", False),
            ("Yangzhou Guangling Mianhuatang Toys Co., Ltd.", "Yangzhou", True),
        ),
    ),
    DemoBelt(
        slug="dongguan-toys",
        name_en="Dongguan toys",
        name_zh="东莞玩具",
        province="guangdong",
        city="Dongguan",
        city_zh="东莞",
        status="live",
        firms=4000,
        output_billion_cny=45,
        employees=200000,
        export_share=50,
        specialties=["toys", "plush-toys", "mascot-toys", "plastic-toys"],
        description_en=(
            "Dongguan in the Pearl River Delta has made toys for the world's brands since the 1980s: some four "
            "thousand toy makers and fifteen hundred suppliers of moulds, fabrics and packaging, known for "
            "licensed figures, mascots and plush for export."
        ),
        description_zh=(
            "珠三角的东莞自上世纪八十年代起为国际品牌生产玩具，现有玩具企业约四千家、模具面料包装等配套企业约一千五百家，"
            "以动漫衍生品、吉祥物和出口毛绒玩具见长。"
        ),
        suppliers=_plush(
            ("Dongguan Chashan Hongda Plush Toys Co., Ltd.", "Dongguan", True),
            ("Dongguan Shipai Lemei Toys Factory", "Dongguan", True),
            ("Dongguan Changping Kaku Mascot Products Co., Ltd.", "Dongguan", True),
            ("Dongguan Qingxi Xiongbaobao Toys Co., Ltd.", "Dongguan", False),
            ("Dongguan Humen Tiancai Craft Toys Factory", "Dongguan", True),
            ("Dongguan Huangjiang Yunduo Plush Products Co., Ltd.", "Dongguan", True),
            ("Dongguan Fenggang Jiabao Toys Co., Ltd.", "Dongguan", False),
        ),
    ),
    DemoBelt(
        slug="hengkou-plush-toys",
        name_en="Hengkou plush toys",
        name_zh="恒口毛绒玩具",
        province="shaanxi",
        city="Hengkou, Ankang",
        city_zh="安康恒口",
        status="live",
        firms=700,
        output_billion_cny=4,
        employees=30000,
        export_share=40,
        specialties=["plush-toys", "mascot-toys", "stuffed-animals"],
        description_en=(
            "Hengkou, in Ankang in southern Shaanxi, has drawn plush toy makers from Yangzhou and the coast "
            "since 2018: factories and village workshops around its demonstration zone sew and stuff toys for "
            "export, and Ankang has become the country's fourth plush toy base."
        ),
        description_zh=(
            "陕南安康自2018年起承接扬州和沿海地区的毛绒玩具产业转移，工厂和社区工厂集聚在恒口示范区周边，"
            "生产出口毛绒玩具，已成为全国第四大毛绒玩具生产基地。"
        ),
        suppliers=_plush(
            ("Ankang Hengkou Nuanxin Plush Toys Co., Ltd.", "Ankang", True),
            ("Ankang Hanbin Qinba Plush Toys Factory", "Ankang", True),
            ("Shaanxi Ankang Letong Toys Co., Ltd.", "Ankang", True),
            ("Xunyang Fuxing Plush Products Co., Ltd.", "Xunyang", True),
            ("Hanyin Caihong Toys Factory", "Hanyin", False),
        ),
    ),
    DemoBelt(
        slug="jimo-apparel",
        name_en="Jimo apparel",
        name_zh="即墨服装",
        province="shandong",
        city="Jimo, Qingdao",
        city_zh="青岛即墨",
        status="live",
        firms=4000,
        output_billion_cny=40,
        employees=150000,
        export_share=35,
        specialties=["apparel", "womens-knitwear", "kids-everyday", "workwear"],
        description_en=(
            "Jimo district of Qingdao is one of northern China's garment centres, known for knitwear, "
            "children's clothing and workwear, with a large share made for export through Qingdao port."
        ),
        description_zh=("青岛即墨区是中国北方重要的服装产业基地，以针织服装、童装和工装见长，大量产品经青岛港出口。"),
        suppliers=[
            ("Qingdao Jimo Hongda Knitting Co., Ltd.", "Jimo", ["womens-knitwear"], "manufacturer", True),
            ("Qingdao Ruifeng Workwear Co., Ltd.", "Jimo", ["work-uniforms", "high-visibility"], "manufacturer", False),
        ],
    ),
    DemoBelt(
        slug="danyang-eyewear",
        name_en="Danyang eyewear",
        name_zh="丹阳眼镜",
        province="jiangsu",
        city="Danyang, Zhenjiang",
        city_zh="镇江丹阳",
        status="live",
        firms=1600,
        output_billion_cny=15,
        employees=50000,
        export_share=50,
        specialties=["eyewear", "optical", "sunglasses-group"],
        description_en=(
            "Danyang makes a large share of the world's spectacle lenses and many of its frames; its "
            "eyewear city sells them wholesale to opticians at home and abroad."
        ),
        description_zh="丹阳生产了全球相当比例的眼镜片和大量镜架，丹阳眼镜城面向国内外眼镜店批发。",
        suppliers=[
            ("Danyang Mingliang Optical Co., Ltd.", "Danyang", ["spectacle-lenses"], "manufacturer", True),
            (
                "Jiangsu Shiguang Eyewear Co., Ltd.",
                "Danyang",
                ["spectacle-frames", "fashion-sunglasses"],
                "both",
                False,
            ),
        ],
    ),
    DemoBelt(
        slug="cixi-small-appliances",
        name_en="Cixi small appliances",
        name_zh="慈溪小家电",
        province="zhejiang",
        city="Cixi, Ningbo",
        city_zh="宁波慈溪",
        status="live",
        firms=2500,
        output_billion_cny=60,
        employees=180000,
        export_share=55,
        specialties=["home-appliances", "small-appliances", "kitchen-appliances"],
        description_en=(
            "Cixi near Ningbo is a centre of small household appliances — fans, heaters, dehumidifiers, "
            "kettles — with a deep chain of motor, plastic and electronics suppliers."
        ),
        description_zh=(
            "宁波慈溪是全国重要的小家电生产基地，生产电风扇、取暖器、除湿机、电热水壶等，电机、塑料和电子配套完整。"
        ),
        suppliers=[
            ("Cixi Fengyuan Electric Appliance Co., Ltd.", "Cixi", ["electric-fans", "heaters"], "manufacturer", True),
            ("Ningbo Anjia Kitchen Appliances Co., Ltd.", "Cixi", ["electric-kettles"], "manufacturer", False),
        ],
    ),
    DemoBelt(
        slug="shengze-textiles",
        name_en="Shengze silk and textiles",
        name_zh="盛泽纺织",
        province="jiangsu",
        city="Shengze, Suzhou",
        city_zh="苏州盛泽",
        status="live",
        firms=2600,
        output_billion_cny=100,
        employees=160000,
        export_share=25,
        specialties=["textiles", "fabrics", "silk-fabrics", "polyester-fabrics"],
        description_en=(
            "Shengze in Suzhou's Wujiang district has woven silk for centuries and today weaves synthetic "
            "and silk fabrics on a vast scale, sold through the China Oriental Silk Market."
        ),
        description_zh="苏州吴江盛泽镇丝绸织造历史悠久，如今是化纤和真丝面料的大规模生产基地，面料经中国东方丝绸市场销往各地。",
        suppliers=[
            ("Suzhou Shengze Jinsi Textile Co., Ltd.", "Shengze", ["silk-fabrics"], "manufacturer", True),
        ],
    ),
    DemoBelt(
        slug="yongkang-hardware",
        name_en="Yongkang hardware",
        name_zh="永康五金",
        province="zhejiang",
        city="Yongkang, Jinhua",
        city_zh="金华永康",
        status="live",
        firms=15000,
        output_billion_cny=120,
        employees=300000,
        export_share=45,
        specialties=["hardware", "hand-tools", "power-tools", "cookware"],
        description_en=(
            "Yongkang calls itself China's hardware capital: tools, power tools, stainless cookware and vacuum "
            "flasks come from thousands of metalworking firms."
        ),
        description_zh="永康被称为“中国五金之都”，数千家五金企业生产工具、电动工具、不锈钢厨具和保温杯。",
        suppliers=[
            ("Yongkang Jinlong Tools Co., Ltd.", "Yongkang", ["wrenches", "electric-drills"], "manufacturer", True),
            ("Zhejiang Yongkang Baoshi Cup Co., Ltd.", "Yongkang", ["vacuum-flasks"], "manufacturer", False),
        ],
    ),
    DemoBelt(
        slug="zibo-gloves",
        name_en="Zibo gloves and protective equipment",
        name_zh="淄博手套及防护用品",
        province="shandong",
        city="Zibo",
        city_zh="淄博",
        status="live",
        firms=800,
        output_billion_cny=25,
        employees=60000,
        export_share=70,
        specialties=["gloves-ppe", "gloves", "nitrile-gloves", "protective-equipment"],
        description_en=(
            "Zibo's chemical industry feeds a large glove cluster: disposable nitrile and PVC gloves, "
            "work gloves and protective equipment, mostly for export."
        ),
        description_zh="淄博依托化工产业形成了大型手套产业集群，生产一次性丁腈手套、PVC手套、劳保手套和防护用品，以出口为主。",
        suppliers=[
            ("Zibo Anbao Gloves Co., Ltd.", "Zibo", ["nitrile-gloves", "work-gloves"], "both", True),
            (
                "Shandong Lüse New Materials Co., Ltd.",
                "Zibo",
                ["biodegradable-plastics", "nitrile-latex"],
                "manufacturer",
                True,
            ),
        ],
    ),
    DemoBelt(
        slug="caoxian-wooden-products",
        name_en="Caoxian wooden products and costumes",
        name_zh="曹县木制品及演出服",
        province="shandong",
        city="Caoxian, Heze",
        city_zh="菏泽曹县",
        status="onboarding",
        firms=5000,
        output_billion_cny=30,
        employees=200000,
        export_share=30,
        specialties=["wooden-products", "wooden-crafts", "performance-costumes"],
        description_en=(
            "Caoxian in Heze grew from poplar plantations into a wooden-products belt — crafts, frames, "
            "panels — and, online, into China's largest maker of performance costumes and hanfu."
        ),
        description_zh="菏泽曹县依托杨木资源发展为木制品产业带，生产工艺品、相框、板材，并通过电商成为全国最大的演出服和汉服生产基地。",
        suppliers=[
            (
                "Caoxian Senlin Wood Crafts Co., Ltd.",
                "Caoxian",
                ["wooden-crafts", "photo-frames"],
                "manufacturer",
                False,
            ),
        ],
    ),
    DemoBelt(
        slug="datang-socks",
        name_en="Datang socks",
        name_zh="大唐袜业",
        province="zhejiang",
        city="Datang, Zhuji",
        city_zh="诸暨大唐",
        status="draft",
        firms=10000,
        output_billion_cny=50,
        employees=200000,
        export_share=30,
        specialties=["hosiery", "socks"],
        description_en="Datang town in Zhuji knits a large share of the world's socks.",
        description_zh="诸暨大唐镇生产了全球相当比例的袜子。",
    ),
]

# Chinese names of the demo factories that have one (the plush toy factories of story 3), shown to
# readers of Chinese (SupplierProfile.name_zh).
SUPPLIER_NAMES_ZH: dict[str, str] = {
    "Shantou Chenghai Leyuan Toys Co., Ltd.": "汕头市澄海区乐园玩具有限公司",
    "Shantou Mengqu Plush Toys Factory": "汕头市萌趣毛绒玩具厂",
    "Shantou Chenghai Huanle Plush Toys Co., Ltd.": "汕头市澄海区欢乐毛绒玩具有限公司",
    "Shantou Chenghai Xingyao Toys Factory": "汕头市澄海区星耀玩具厂",
    "Shantou Baobeixiong Plush Products Co., Ltd.": "汕头市宝贝熊毛绒制品有限公司",
    "Shantou Chenghai Jinlu Toys Industrial Co., Ltd.": "汕头市澄海区金鹿玩具实业有限公司",
    "Shantou Chenghai Tongxin Mascot Crafts Factory": "汕头市澄海区童心吉祥物工艺厂",
    "Guangdong Yuefeng Toys Co., Ltd.": "广东悦丰玩具有限公司",
    "Yiwu Kaixin Plush Toys Co., Ltd.": "义乌市开心毛绒玩具有限公司",
    "Yiwu Letao Plush Toys Factory": "义乌市乐淘毛绒玩具厂",
    "Zhejiang Yiwu Anqier Toys Co., Ltd.": "浙江义乌安琪儿玩具有限公司",
    "Yiwu Fotang Mengchong Toys Factory": "义乌市佛堂萌宠玩具厂",
    "Yangzhou Weiyang Jinxiong Plush Toys Co., Ltd.": "扬州市维扬区金熊毛绒玩具有限公司",
    "Yangzhou Hanjiang Ruifu Toys Factory": "扬州市邗江区瑞福玩具厂",
    "Yangzhou Weiyang Rongqu Crafts Co., Ltd.": "扬州市维扬区绒趣工艺品有限公司",
    "Yangzhou Jiangdu Xinyue Plush Products Factory": "扬州市江都区欣悦毛绒制品厂",
    "Jiangsu Yangzhou Baobeile Toys Co., Ltd.": "江苏扬州宝贝乐玩具有限公司",
    "Gaoyou Tianshi Plush Toys Co., Ltd.": "高邮市天使毛绒玩具有限公司",
    "Yizheng Xiaolu Mascot Toys Factory": "仪征市小鹿吉祥物玩具厂",
    "Yangzhou Guangling Mianhuatang Toys Co., Ltd.": "扬州市广陵区棉花糖玩具有限公司",
    "Dongguan Chashan Hongda Plush Toys Co., Ltd.": "东莞市茶山宏达毛绒玩具有限公司",
    "Dongguan Shipai Lemei Toys Factory": "东莞市石排乐美玩具厂",
    "Dongguan Changping Kaku Mascot Products Co., Ltd.": "东莞市常平卡酷吉祥物制品有限公司",
    "Dongguan Qingxi Xiongbaobao Toys Co., Ltd.": "东莞市清溪熊宝宝玩具有限公司",
    "Dongguan Humen Tiancai Craft Toys Factory": "东莞市虎门添彩工艺玩具厂",
    "Dongguan Huangjiang Yunduo Plush Products Co., Ltd.": "东莞市黄江云朵毛绒制品有限公司",
    "Dongguan Fenggang Jiabao Toys Co., Ltd.": "东莞市凤岗嘉宝玩具有限公司",
    "Ankang Hengkou Nuanxin Plush Toys Co., Ltd.": "安康市恒口示范区暖心毛绒玩具有限公司",
    "Ankang Hanbin Qinba Plush Toys Factory": "安康市汉滨区秦巴毛绒玩具厂",
    "Shaanxi Ankang Letong Toys Co., Ltd.": "陕西安康乐童玩具有限公司",
    "Xunyang Fuxing Plush Products Co., Ltd.": "旬阳市福星毛绒制品有限公司",
    "Hanyin Caihong Toys Factory": "汉阴县彩虹玩具厂",
}
