"""The demo category tree: (slug, English name, Chinese name, children), three levels deep."""

from __future__ import annotations

CategoryNode = tuple[str, str, str, list["CategoryNode"]]


def leaf(slug: str, name_en: str, name_zh: str) -> CategoryNode:
    return (slug, name_en, name_zh, [])


CATEGORY_TREE: list[CategoryNode] = [
    (
        "bags-luggage",
        "Bags & luggage",
        "箱包",
        [
            (
                "backpacks",
                "Backpacks",
                "双肩包",
                [
                    leaf("school-bags", "School bags", "书包"),
                    leaf("transparent-backpacks", "Transparent backpacks", "透明书包"),
                    leaf("laptop-backpacks", "Laptop backpacks", "电脑双肩包"),
                    leaf("hiking-backpacks", "Hiking backpacks", "登山包"),
                ],
            ),
            (
                "luggage",
                "Luggage & travel bags",
                "旅行箱包",
                [
                    leaf("trolley-cases", "Trolley cases", "拉杆箱"),
                    leaf("duffel-bags", "Duffel bags", "旅行袋"),
                    leaf("cosmetic-cases", "Cosmetic cases", "化妆包"),
                ],
            ),
            (
                "handbags",
                "Handbags",
                "手提包",
                [
                    leaf("tote-bags", "Tote bags", "托特包"),
                    leaf("shoulder-bags", "Shoulder bags", "单肩包"),
                    leaf("wallets", "Wallets & purses", "钱包"),
                ],
            ),
        ],
    ),
    (
        "plastics-household",
        "Plastics & household",
        "塑料与家居用品",
        [
            (
                "waste-bins",
                "Waste bins",
                "垃圾桶",
                [
                    leaf("sorting-bins", "Sorting bins", "垃圾分类垃圾桶"),
                    leaf("pedal-bins", "Pedal bins", "脚踏垃圾桶"),
                    leaf("outdoor-bins", "Outdoor bins", "户外垃圾桶"),
                ],
            ),
            (
                "storage",
                "Storage",
                "收纳用品",
                [
                    leaf("storage-boxes", "Storage boxes", "收纳箱"),
                    leaf("food-containers", "Food containers", "保鲜盒"),
                    leaf("drawer-organisers", "Drawer organisers", "抽屉收纳"),
                ],
            ),
            (
                "plastic-kitchenware",
                "Plastic kitchenware",
                "塑料厨具",
                [
                    leaf("cutting-boards", "Cutting boards", "砧板"),
                    leaf("water-bottles", "Water bottles", "水杯水壶"),
                    leaf("lunch-boxes", "Lunch boxes", "饭盒"),
                ],
            ),
            (
                "plastic-molds",
                "Plastic molds & parts",
                "塑料模具与配件",
                [
                    leaf("injection-molds", "Injection molds", "注塑模具"),
                    leaf("plastic-pallets", "Plastic pallets", "塑料托盘"),
                ],
            ),
        ],
    ),
    (
        "childrens-clothing",
        "Children's clothing",
        "童装",
        [
            (
                "baby-clothing",
                "Baby clothing",
                "婴儿服装",
                [
                    leaf("rompers", "Rompers", "连体衣"),
                    leaf("baby-sets", "Baby sets", "婴儿套装"),
                ],
            ),
            (
                "kids-outerwear",
                "Kids' outerwear",
                "儿童外套",
                [
                    leaf("kids-down-jackets", "Kids' down jackets", "儿童羽绒服"),
                    leaf("kids-coats", "Kids' coats", "儿童大衣"),
                ],
            ),
            (
                "kids-everyday",
                "Kids' everyday wear",
                "儿童日常服装",
                [
                    leaf("kids-t-shirts", "Kids' T-shirts", "儿童T恤"),
                    leaf("kids-dresses", "Girls' dresses", "女童连衣裙"),
                    leaf("school-uniforms", "School uniforms", "校服"),
                ],
            ),
        ],
    ),
    (
        "toys",
        "Toys",
        "玩具",
        [
            (
                "plush-toys",
                "Plush toys",
                "毛绒玩具",
                [
                    leaf("mascot-toys", "Mascot toys", "吉祥物玩偶"),
                    leaf("stuffed-animals", "Stuffed animals", "毛绒动物"),
                ],
            ),
            (
                "plastic-toys",
                "Plastic toys",
                "塑料玩具",
                [
                    leaf("building-blocks", "Building blocks", "积木"),
                    leaf("action-figures", "Action figures", "人偶手办"),
                    leaf("toy-vehicles", "Toy vehicles", "玩具车"),
                ],
            ),
            (
                "electronic-toys",
                "Electronic toys",
                "电子玩具",
                [
                    leaf("rc-toys", "Remote-control toys", "遥控玩具"),
                    leaf("educational-electronics", "Educational electronic toys", "益智电子玩具"),
                ],
            ),
        ],
    ),
    (
        "small-commodities",
        "Small commodities",
        "小商品",
        [
            (
                "stationery",
                "Stationery",
                "文具",
                [
                    leaf("pens", "Pens", "笔"),
                    leaf("notebooks", "Notebooks", "笔记本"),
                    leaf("office-supplies", "Office supplies", "办公用品"),
                ],
            ),
            (
                "festive-goods",
                "Festive & party goods",
                "节庆用品",
                [
                    leaf("christmas-decorations", "Christmas decorations", "圣诞装饰"),
                    leaf("party-supplies", "Party supplies", "派对用品"),
                ],
            ),
            (
                "accessories",
                "Fashion accessories",
                "饰品",
                [
                    leaf("jewellery", "Jewellery", "首饰"),
                    leaf("hair-accessories", "Hair accessories", "发饰"),
                    leaf("hair-products", "Wigs & hair products", "假发与发制品"),
                ],
            ),
        ],
    ),
    (
        "apparel",
        "Apparel",
        "服装",
        [
            (
                "womens-clothing",
                "Women's clothing",
                "女装",
                [
                    leaf("womens-dresses", "Dresses", "连衣裙"),
                    leaf("womens-knitwear", "Knitwear", "针织衫"),
                ],
            ),
            (
                "mens-clothing",
                "Men's clothing",
                "男装",
                [
                    leaf("mens-shirts", "Shirts", "衬衫"),
                    leaf("mens-suits", "Suits", "西装"),
                ],
            ),
            (
                "hosiery",
                "Socks & hosiery",
                "袜业",
                [
                    leaf("socks", "Socks", "袜子"),
                    leaf("tights", "Tights", "连裤袜"),
                ],
            ),
            (
                "workwear",
                "Workwear & uniforms",
                "工装与制服",
                [
                    leaf("work-uniforms", "Work uniforms", "工作服"),
                    leaf("high-visibility", "High-visibility clothing", "反光服"),
                    leaf("performance-costumes", "Performance costumes", "演出服"),
                ],
            ),
        ],
    ),
    (
        "textiles",
        "Textiles",
        "纺织品",
        [
            (
                "fabrics",
                "Fabrics",
                "面料",
                [
                    leaf("silk-fabrics", "Silk fabrics", "真丝面料"),
                    leaf("polyester-fabrics", "Polyester fabrics", "涤纶面料"),
                    leaf("cotton-fabrics", "Cotton fabrics", "棉布"),
                ],
            ),
            (
                "home-textiles",
                "Home textiles",
                "家纺",
                [
                    leaf("bedding", "Bedding", "床上用品"),
                    leaf("towels", "Towels", "毛巾"),
                    leaf("curtains", "Curtains", "窗帘"),
                ],
            ),
        ],
    ),
    (
        "home-appliances",
        "Home appliances",
        "家用电器",
        [
            (
                "kitchen-appliances",
                "Kitchen appliances",
                "厨房电器",
                [
                    leaf("electric-kettles", "Electric kettles", "电热水壶"),
                    leaf("rice-cookers", "Rice cookers", "电饭煲"),
                ],
            ),
            (
                "small-appliances",
                "Small household appliances",
                "生活小家电",
                [
                    leaf("electric-fans", "Electric fans", "电风扇"),
                    leaf("heaters", "Heaters", "取暖器"),
                    leaf("dehumidifiers", "Dehumidifiers", "除湿机"),
                ],
            ),
        ],
    ),
    (
        "eyewear",
        "Eyewear",
        "眼镜",
        [
            (
                "optical",
                "Optical eyewear",
                "光学眼镜",
                [
                    leaf("spectacle-frames", "Spectacle frames", "眼镜架"),
                    leaf("spectacle-lenses", "Spectacle lenses", "镜片"),
                ],
            ),
            (
                "sunglasses-group",
                "Sunglasses",
                "太阳镜",
                [
                    leaf("fashion-sunglasses", "Fashion sunglasses", "时尚太阳镜"),
                    leaf("sports-sunglasses", "Sports sunglasses", "运动太阳镜"),
                ],
            ),
        ],
    ),
    (
        "gloves-ppe",
        "Gloves & PPE",
        "手套与劳保用品",
        [
            (
                "gloves",
                "Gloves",
                "手套",
                [
                    leaf("work-gloves", "Work gloves", "劳保手套"),
                    leaf("nitrile-gloves", "Nitrile gloves", "丁腈手套"),
                    leaf("knitted-gloves", "Knitted gloves", "针织手套"),
                ],
            ),
            (
                "protective-equipment",
                "Protective equipment",
                "防护用品",
                [
                    leaf("face-masks", "Face masks", "口罩"),
                    leaf("safety-helmets", "Safety helmets", "安全帽"),
                ],
            ),
        ],
    ),
    (
        "chemicals-materials",
        "Chemicals & materials",
        "化工与材料",
        [
            (
                "eco-materials",
                "Eco materials",
                "环保材料",
                [
                    leaf("biodegradable-plastics", "Biodegradable plastics", "可降解塑料"),
                    leaf("recycled-fibres", "Recycled fibres", "再生纤维"),
                    leaf("water-based-coatings", "Water-based coatings", "水性涂料"),
                ],
            ),
            (
                "plastic-raw-materials",
                "Plastic raw materials",
                "塑料原料",
                [
                    leaf("pp-pellets", "PP pellets", "聚丙烯颗粒"),
                    leaf("pe-pellets", "PE pellets", "聚乙烯颗粒"),
                ],
            ),
            (
                "rubber-latex",
                "Rubber & latex",
                "橡胶与乳胶",
                [
                    leaf("nitrile-latex", "Nitrile latex", "丁腈胶乳"),
                    leaf("natural-rubber", "Natural rubber", "天然橡胶"),
                ],
            ),
        ],
    ),
    (
        "hardware",
        "Hardware",
        "五金",
        [
            (
                "hand-tools",
                "Hand tools",
                "手动工具",
                [
                    leaf("wrenches", "Wrenches", "扳手"),
                    leaf("hammers", "Hammers", "锤子"),
                ],
            ),
            (
                "power-tools",
                "Power tools",
                "电动工具",
                [
                    leaf("electric-drills", "Electric drills", "电钻"),
                    leaf("angle-grinders", "Angle grinders", "角磨机"),
                ],
            ),
            (
                "cookware",
                "Cookware",
                "厨具",
                [
                    leaf("stainless-pots", "Stainless steel pots", "不锈钢锅"),
                    leaf("vacuum-flasks", "Vacuum flasks", "保温杯"),
                ],
            ),
        ],
    ),
    (
        "furniture",
        "Furniture",
        "家具",
        [
            (
                "home-furniture",
                "Home furniture",
                "家居家具",
                [
                    leaf("sofas", "Sofas", "沙发"),
                    leaf("dining-tables", "Dining tables", "餐桌"),
                ],
            ),
            (
                "wooden-products",
                "Wooden products",
                "木制品",
                [
                    leaf("wooden-crafts", "Wooden crafts", "木制工艺品"),
                    leaf("wood-panels", "Wood panels", "木板材"),
                    leaf("photo-frames", "Photo frames", "相框"),
                ],
            ),
        ],
    ),
]
