"""China's provincial-level divisions, where the industrial belts are."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

PROVINCE_CHOICES = [
    ("anhui", _("Anhui")),
    ("beijing", _("Beijing")),
    ("chongqing", _("Chongqing")),
    ("fujian", _("Fujian")),
    ("gansu", _("Gansu")),
    ("guangdong", _("Guangdong")),
    ("guangxi", _("Guangxi")),
    ("guizhou", _("Guizhou")),
    ("hainan", _("Hainan")),
    ("hebei", _("Hebei")),
    ("heilongjiang", _("Heilongjiang")),
    ("henan", _("Henan")),
    ("hongkong", _("Hong Kong")),
    ("hubei", _("Hubei")),
    ("hunan", _("Hunan")),
    ("jiangsu", _("Jiangsu")),
    ("jiangxi", _("Jiangxi")),
    ("jilin", _("Jilin")),
    ("liaoning", _("Liaoning")),
    ("macau", _("Macau")),
    ("neimenggu", _("Inner Mongolia")),
    ("ningxia", _("Ningxia")),
    ("qinghai", _("Qinghai")),
    ("shaanxi", _("Shaanxi")),
    ("shandong", _("Shandong")),
    ("shanghai", _("Shanghai")),
    ("shanxi", _("Shanxi")),
    ("sichuan", _("Sichuan")),
    ("taiwan", _("Taiwan")),
    ("tianjin", _("Tianjin")),
    ("xinjiang", _("Xinjiang")),
    ("xizang", _("Tibet")),
    ("yunnan", _("Yunnan")),
    ("zhejiang", _("Zhejiang")),
]


# django-countries ships these names without a Chinese translation; our catalogue (LOCALE_PATHS,
# which Django reads first) supplies them so country lists are wholly Chinese in Chinese.
COUNTRY_NAMES_FOR_TRANSLATION = [
    gettext_noop("Democratic Republic of the Congo"),
    gettext_noop("Micronesia"),
    gettext_noop("South Georgia"),
    gettext_noop("Palestine"),
    gettext_noop("Saint Helena"),
    gettext_noop("Vatican City"),
    gettext_noop("Tanzania, the United Republic of"),
    gettext_noop("Bahamas (The)"),
    gettext_noop("Eswatini"),
    gettext_noop("Falkland Islands (Malvinas)"),
    gettext_noop("Netherlands (Kingdom of the)"),
    gettext_noop("North Macedonia"),
    gettext_noop("Türkiye"),
]


# The Chinese names of the cities, counties and towns where the belts and their factories are, by
# province: a supplier types its city once, in either language, and each reader sees it in theirs
# ("Baigou" / 白沟; "Baigou, Baoding" / 保定白沟, the larger place first as Chinese writes it). Keyed
# by province because some names repeat (Taizhou is 台州 in Zhejiang, 泰州 in Jiangsu). A belt's
# own `city_zh`, typed by staff, comes first; a place missing here is shown as it was typed.
CITY_NAMES_ZH: dict[str, dict[str, str]] = {
    "anhui": {"Hefei": "合肥", "Wuhu": "芜湖"},
    "beijing": {"Beijing": "北京"},
    "chongqing": {"Chongqing": "重庆"},
    "fujian": {
        "Anxi": "安溪",
        "Dehua": "德化",
        "Fuzhou": "福州",
        "Jinjiang": "晋江",
        "Putian": "莆田",
        "Quanzhou": "泉州",
        "Shishi": "石狮",
        "Xiamen": "厦门",
        "Zhangzhou": "漳州",
    },
    "guangdong": {
        "Chaozhou": "潮州",
        "Chenghai": "澄海",
        "Dongguan": "东莞",
        "Foshan": "佛山",
        "Guangzhou": "广州",
        "Guzhen": "古镇",
        "Huizhou": "惠州",
        "Jiangmen": "江门",
        "Jieyang": "揭阳",
        "Puning": "普宁",
        "Shantou": "汕头",
        "Shenzhen": "深圳",
        "Shunde": "顺德",
        "Zhongshan": "中山",
        "Zhuhai": "珠海",
    },
    "guangxi": {"Guilin": "桂林", "Nanning": "南宁"},
    "hebei": {
        "Anping": "安平",
        "Anxin": "安新",
        "Baigou": "白沟",
        "Baoding": "保定",
        "Cangzhou": "沧州",
        "Dingzhou": "定州",
        "Gaobeidian": "高碑店",
        "Handan": "邯郸",
        "Hejian": "河间",
        "Hengshui": "衡水",
        "Langfang": "廊坊",
        "Qinghe": "清河",
        "Shijiazhuang": "石家庄",
        "Xingtai": "邢台",
        "Xiongxian": "雄县",
    },
    "henan": {"Luoyang": "洛阳", "Xuchang": "许昌", "Zhengzhou": "郑州"},
    "hubei": {"Wuhan": "武汉"},
    "hunan": {"Changsha": "长沙", "Liuyang": "浏阳"},
    "jiangsu": {
        "Changshu": "常熟",
        "Changzhou": "常州",
        "Danyang": "丹阳",
        "Donghai": "东海",
        "Gaoyou": "高邮",
        "Haimen": "海门",
        "Kunshan": "昆山",
        "Lianyungang": "连云港",
        "Nanjing": "南京",
        "Nantong": "南通",
        "Shengze": "盛泽",
        "Shuyang": "沭阳",
        "Suqian": "宿迁",
        "Suzhou": "苏州",
        "Taizhou": "泰州",
        "Weiyang": "维扬",
        "Wuxi": "无锡",
        "Xuzhou": "徐州",
        "Yancheng": "盐城",
        "Yangzhou": "扬州",
        "Yizheng": "仪征",
        "Zhenjiang": "镇江",
    },
    "jiangxi": {"Ganzhou": "赣州", "Jingdezhen": "景德镇", "Nanchang": "南昌", "Nankang": "南康", "Pingxiang": "萍乡"},
    "liaoning": {"Dalian": "大连", "Shenyang": "沈阳"},
    "shaanxi": {
        "Ankang": "安康",
        "Baoji": "宝鸡",
        "Hanyin": "汉阴",
        "Hanzhong": "汉中",
        "Hengkou": "恒口",
        "Xi'an": "西安",
        "Xunyang": "旬阳",
    },
    "shandong": {
        "Binzhou": "滨州",
        "Caoxian": "曹县",
        "Dezhou": "德州",
        "Heze": "菏泽",
        "Jimo": "即墨",
        "Jinan": "济南",
        "Jining": "济宁",
        "Liaocheng": "聊城",
        "Linyi": "临沂",
        "Qingdao": "青岛",
        "Weifang": "潍坊",
        "Weihai": "威海",
        "Yantai": "烟台",
        "Zibo": "淄博",
    },
    "shanghai": {"Shanghai": "上海"},
    "sichuan": {"Chengdu": "成都"},
    "tianjin": {"Tianjin": "天津"},
    "zhejiang": {
        "Anji": "安吉",
        "Cixi": "慈溪",
        "Datang": "大唐",
        "Dongyang": "东阳",
        "Fotang": "佛堂",
        "Haining": "海宁",
        "Hangzhou": "杭州",
        "Huangyan": "黄岩",
        "Huzhou": "湖州",
        "Jiaxing": "嘉兴",
        "Jinhua": "金华",
        "Keqiao": "柯桥",
        "Lishui": "丽水",
        "Linhai": "临海",
        "Ningbo": "宁波",
        "Pinghu": "平湖",
        "Quzhou": "衢州",
        "Ruian": "瑞安",
        "Shangyu": "上虞",
        "Shaoxing": "绍兴",
        "Taizhou": "台州",
        "Tongxiang": "桐乡",
        "Wenling": "温岭",
        "Wenzhou": "温州",
        "Wuyi": "武义",
        "Yiwu": "义乌",
        "Yongkang": "永康",
        "Yueqing": "乐清",
        "Yuhuan": "玉环",
        "Yuyao": "余姚",
        "Zhili": "织里",
        "Zhuji": "诸暨",
    },
}


def _unambiguous(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The pairs whose key names one place only across provinces (no Taizhou without its province)."""
    seen: dict[str, set[str]] = {}
    for key, value in pairs:
        seen.setdefault(key, set()).add(value)
    return {key: values.pop() for key, values in seen.items() if len(values) == 1}


_ZH_BY_EN = {province: {en.casefold(): zh for en, zh in names.items()} for province, names in CITY_NAMES_ZH.items()}
_EN_BY_ZH = {province: {zh: en for en, zh in names.items()} for province, names in CITY_NAMES_ZH.items()}
_ZH_ANYWHERE = _unambiguous([(en, zh) for names in _ZH_BY_EN.values() for en, zh in names.items()])
_EN_ANYWHERE = _unambiguous([(zh, en) for names in _EN_BY_ZH.values() for zh, en in names.items()])


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


def city_in_chinese(city: str, province: str = "") -> str:
    """ "Baigou, Baoding" in Hebei → 保定白沟 (each part from the table, the larger place first);
    "" when a part is not in the table. Without a province, only names unique across China count."""
    names = _ZH_BY_EN.get(province, _ZH_ANYWHERE)
    parts = [part.strip().casefold() for part in city.split(",") if part.strip()]
    found = [names.get(part, "") for part in parts]
    return "".join(reversed(found)) if found and all(found) else ""


def city_in_english(city: str, province: str = "") -> str:
    """白沟 → "Baigou"; 保定白沟 in Hebei → "Baigou, Baoding"; "" unless the name is one place of the
    table or a larger place followed by a smaller one."""
    names = _EN_BY_ZH.get(province, _EN_ANYWHERE)
    text = "".join(city.split())
    if text in names:
        return names[text]
    for cut in range(1, len(text)):
        larger, smaller = text[:cut], text[cut:]
        if larger in names and smaller in names:
            return f"{names[smaller]}, {names[larger]}"
    return ""


def city_name(city: str, *, province: str = "", city_zh: str = "", chinese: bool) -> str:
    """The city in the reader's language: the Chinese name typed for it (`city_zh`), or the table's,
    or the other way round for an English reader; as typed when neither is known."""
    city, city_zh = (city or "").strip(), (city_zh or "").strip()
    if chinese:
        if city_zh or has_chinese(city):
            return city_zh or city
        return city_in_chinese(city, province) or city
    if city and not has_chinese(city):
        return city
    typed = city or city_zh
    return city_in_english(typed, province) or typed


def place_name(city: str, *, province_name: str, province: str = "", city_zh: str = "", chinese: bool) -> str:
    """Where a place is, in the order each language writes it: 河北 保定白沟, "Baigou, Baoding, Hebei"."""
    name = city_name(city, province=province, city_zh=city_zh, chinese=chinese)
    if chinese:
        return f"{province_name} {name}".strip()
    return ", ".join(part for part in (name, province_name) if part)
