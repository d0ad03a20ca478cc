/**
 * The word lists the sample catalogue is built from: Australian supermarket categories, the
 * products in each (with sizes and a typical price), flavours and variants, national brands, and
 * Aldi's exclusive brands. Each chain names its departments its own way ({@link categoryPath}).
 */
import type { SampleCompany } from './companies.js';

export type Department =
  | 'fruitveg'
  | 'meat'
  | 'deli'
  | 'dairy'
  | 'bakery'
  | 'pantry'
  | 'snacks'
  | 'frozen'
  | 'drinks'
  | 'liquor'
  | 'household'
  | 'health'
  | 'baby'
  | 'pets';

const DEPARTMENT_NAMES: Readonly<Record<Department, Readonly<Record<SampleCompany, string>>>> = {
  fruitveg: { coles: 'Fruit & Vegetables', woolworths: 'Fruit & Veg', aldi: 'Fruits & Vegetables', iga: 'Fruit And Vegetable' },
  meat: { coles: 'Meat & Seafood', woolworths: 'Meat & Seafood', aldi: 'Meat & Seafood', iga: 'Meat, Seafood And Deli' },
  deli: { coles: 'Deli', woolworths: 'Deli', aldi: 'Deli & Chilled Meats', iga: 'Meat, Seafood And Deli' },
  dairy: { coles: 'Dairy, Eggs & Fridge', woolworths: 'Dairy, Eggs & Fridge', aldi: 'Dairy, Eggs & Fridge', iga: 'Dairy, Eggs And Fridge' },
  bakery: { coles: 'Bakery', woolworths: 'Bakery', aldi: 'Bakery', iga: 'Bakery' },
  pantry: { coles: 'Pantry', woolworths: 'Pantry', aldi: 'Pantry', iga: 'Pantry' },
  snacks: { coles: 'Chips, Chocolates & Snacks', woolworths: 'Snacks & Confectionery', aldi: 'Pantry', iga: 'Pantry' },
  frozen: { coles: 'Frozen', woolworths: 'Freezer', aldi: 'Freezer', iga: 'Frozen' },
  drinks: { coles: 'Drinks', woolworths: 'Drinks', aldi: 'Drinks', iga: 'Drinks' },
  liquor: { coles: 'Liquor', woolworths: 'Beer, Wine & Spirits', aldi: 'Liquor', iga: 'Liquor' },
  household: { coles: 'Household', woolworths: 'Cleaning & Maintenance', aldi: 'Cleaning & Household', iga: 'Household' },
  health: { coles: 'Health & Beauty', woolworths: 'Health & Beauty', aldi: 'Health & Beauty', iga: 'Health And Beauty' },
  baby: { coles: 'Baby', woolworths: 'Baby', aldi: 'Baby', iga: 'Baby' },
  pets: { coles: 'Pet', woolworths: 'Pet', aldi: 'Pets', iga: 'Pet Care' },
};

/**
 * One product line: its name, a typical price per base unit (dollars per kg for `g` sizes, per
 * litre for `ml`, per item for `ea` counts and per kg for `~` weighed items) and its sizes:
 * `500g`, `1.2kg`, `600ml`, `2l`, `6x375ml` (multipack), `12ea` (count), `~0.4kg` (sold by weight,
 * about 0.4 kg a piece). A product line in several sizes makes families like "Short Cut Bacon 500g"
 * and "Short Cut Bacon 1kg".
 */
export type ItemTemplate = readonly [name: string, perBase: number, sizes: string];

export interface CategoryTemplate {
  readonly department: Department;
  readonly aisle: string;
  /** The leaf under the aisle; absent when the aisle is the leaf. */
  readonly leaf?: string;
  readonly items: readonly ItemTemplate[];
  /** Variants of each item: `*` stands for the item's name; `''` is the plain item. */
  readonly variants: readonly string[];
  /** National brands, sold by several chains with one barcode; empty for fresh produce. */
  readonly brands: readonly string[];
  /** Aldi's own brands for this category. */
  readonly aldi: readonly string[];
}

export const CATEGORIES: readonly CategoryTemplate[] = [
  {
    department: 'fruitveg',
    aisle: 'Fruit',
    items: [
      ['Bananas', 3.9, '~0.18kg'],
      ['Royal Gala Apples', 5.9, '~0.2kg 1kg'],
      ['Pink Lady Apples', 6.9, '~0.2kg 1kg'],
      ['Navel Oranges', 4.5, '~0.25kg 3kg'],
      ['Imperial Mandarins', 6.9, '~0.1kg 1kg'],
      ['Blueberries', 32, '125g'],
      ['Strawberries', 16, '250g'],
      ['Hass Avocado', 2.2, '1ea 4ea'],
    ],
    variants: ['', 'Organic *'],
    brands: [],
    aldi: ['NEW SEASON', 'JUST ORGANIC'],
  },
  {
    department: 'fruitveg',
    aisle: 'Vegetables',
    items: [
      ['Carrots', 2.5, '~0.15kg 1kg'],
      ['Brown Onions', 3.5, '~0.2kg 1kg'],
      ['Washed Potatoes', 3.5, '~0.25kg 2kg 4kg'],
      ['Broccoli', 6.9, '~0.35kg'],
      ['Baby Spinach', 20, '120g 280g'],
      ['Cherry Tomatoes', 13, '250g'],
      ['Continental Cucumber', 2.9, '1ea'],
      ['Green Asparagus Spears', 10, '330g'],
    ],
    variants: ['', 'Organic *'],
    brands: [],
    aldi: ['NEW SEASON', 'JUST ORGANIC'],
  },
  {
    department: 'fruitveg',
    aisle: 'Salads & Herbs',
    leaf: 'Salad Kits',
    items: [
      ['Caesar Salad Kit', 20, '250g 400g'],
      ['Classic Coleslaw', 12, '300g 500g'],
      ['Mixed Leaf Salad', 22, '120g 250g'],
      ['Living Herbs Basil', 2.99, '1ea'],
    ],
    variants: ['', '* Family Size'],
    brands: ['Fresh Express', 'Herb Cottage', 'Superior Fresh'],
    aldi: ['THE FRESH SALAD CO'],
  },
  {
    department: 'meat',
    aisle: 'Poultry',
    leaf: 'Chicken',
    items: [
      ['Chicken Breast Fillets', 12.5, '500g 1kg ~0.9kg'],
      ['Chicken Thigh Fillets', 15, '500g 1kg'],
      ['Chicken Drumsticks', 5.5, '1kg 2kg'],
      ['Whole Chicken', 6, '~1.6kg'],
      ['Chicken Mince', 11, '500g'],
      ['Marinated Chicken Roasting Pieces', 6, '~1.8kg'],
    ],
    variants: ['', 'Free Range *', 'RSPCA Approved *'],
    brands: ['Lilydale', 'Steggles', "Ingham's"],
    aldi: ['BROAD OAK FARMS', 'READY, SET\u2026COOK!'],
  },
  {
    department: 'meat',
    aisle: 'Beef & Veal',
    leaf: 'Beef',
    items: [
      ['Beef Mince', 13, '500g 1kg'],
      ['Scotch Fillet Steak', 45, '~0.4kg'],
      ['Rump Steak', 28, '~0.5kg'],
      ['Diced Beef', 18, '500g'],
      ['Beef Sausages', 9, '500g 1kg'],
    ],
    variants: ['', 'Premium *', 'Grass Fed *', 'Lean *'],
    brands: ['Cape Grim', 'Hans', 'Greenfields'],
    aldi: ['JINDURRA STATION', 'SPECIALLY SELECTED'],
  },
  {
    department: 'meat',
    aisle: 'Lamb',
    items: [
      ['Lamb Loin Chops', 26, '~0.5kg'],
      ['Lamb Leg Roast', 14, '~1.8kg'],
      ['Lamb Extra Trim Cutlets', 45, '~0.3kg'],
      ['Lamb Mince', 15, '500g'],
    ],
    variants: ['', 'Grass Fed *', 'Marinated *'],
    brands: ['Cedar Creek', 'Gundagai Lamb', 'Southern Pastures'],
    aldi: ['JINDURRA STATION'],
  },
  {
    department: 'meat',
    aisle: 'Pork',
    items: [
      ['Pork Fillet', 19, '~0.42kg'],
      ['Pork Belly Slices', 22, '500g'],
      ['Pork Loin Chops', 15, '~0.6kg'],
      ['Pork Sausages', 10, '500g'],
    ],
    variants: ['', 'Free Range *', 'Marinated *'],
    brands: ['Otway Pork', 'Murray Valley Pork'],
    aldi: ['IRONBARK PORK'],
  },
  {
    department: 'meat',
    aisle: 'Bacon & Ham',
    leaf: 'Bacon',
    items: [
      ['Short Cut Bacon', 24, '250g 500g 1kg'],
      ['Middle Bacon', 16, '500g 1kg'],
      ['Streaky Bacon', 20, '250g'],
      ['Diced Bacon', 18, '200g'],
    ],
    variants: ['', '* Rindless', 'Smoked *', 'Reduced Salt *'],
    brands: ['Primo', 'KR Castlemaine', "D'Orsogna", 'Don', 'Hans'],
    aldi: ['BERG', 'MARKET FARE'],
  },
  {
    department: 'meat',
    aisle: 'Seafood',
    leaf: 'Fish',
    items: [
      ['Salmon Portions Skin On', 38, '240g 500g'],
      ['Fresh Tassie Salmon Portions Skin Off', 40, '300g'],
      ['Barramundi Fillets', 34, '~0.4kg'],
      ['Green Prawns', 30, '500g 1kg'],
      ['Tasmanian Smoked Salmon', 84, '100g 250g'],
    ],
    variants: ['', 'Lemon Pepper *', 'Garlic & Herb *'],
    brands: ['Tassal', 'Huon', 'Petuna'],
    aldi: ['OCEAN RISE', 'THE FISHMONGER'],
  },
  {
    department: 'deli',
    aisle: 'Deli Meats',
    leaf: 'Sliced Meats',
    items: [
      ['Shaved Leg Ham', 22, '100g 200g'],
      ['Hot Salami', 40, '100g'],
      ['Sliced Turkey Breast', 30, '100g'],
      ['Chicken Kransky', 16, '375g'],
    ],
    variants: ['', 'Smoked *', 'Thinly Sliced *'],
    brands: ['Primo', "D'Orsogna", 'Don', 'Hans', 'Bertocchi'],
    aldi: ['BERG', 'DELI ORIGINALS'],
  },
  {
    department: 'deli',
    aisle: 'Dips & Pate',
    items: [
      ['Hummus Dip', 14, '200g'],
      ['Beetroot Dip', 14, '200g'],
      ['Tzatziki Dip', 14, '200g 400g'],
      ['Basil Pesto Dip', 18, '185g'],
      ['Mediterranean Style Dip', 13.5, '200g'],
    ],
    variants: ['', 'Chunky *', 'Classic *', 'Spicy *'],
    brands: ['Chris', 'Black Swan', "Yumi's", 'Obela'],
    aldi: ['DELI ORIGINALS FRESH'],
  },
  {
    department: 'dairy',
    aisle: 'Milk',
    items: [
      ['Full Cream Milk', 1.6, '1l 2l 3l'],
      ['Lite Milk', 1.6, '1l 2l'],
      ['Skim Milk', 1.6, '2l'],
      ['Lactose Free Milk', 3.2, '1l 2l'],
      ['Barista Milk', 2.4, '2l'],
    ],
    variants: ['', '* Long Life', 'Organic *'],
    brands: ['Dairy Farmers', 'Pauls', 'A2', 'Norco', 'Devondale'],
    aldi: ['FARMDALE', 'WESTACRE DAIRY'],
  },
  {
    department: 'dairy',
    aisle: 'Cheese',
    leaf: 'Block Cheese',
    items: [
      ['Tasty Cheese Block', 16, '500g 1kg'],
      ['Mild Cheese Block', 15, '500g 1kg'],
      ['Cheddar Cheese Slices', 18, '250g 500g'],
      ['Grated Mozzarella', 16, '250g 700g'],
      ['Parmesan Cheese', 35, '125g 250g'],
    ],
    variants: ['', 'Light *', 'Extra *'],
    brands: ['Bega', 'Mainland', 'Devondale', 'Perfect Italiano', 'Coon'],
    aldi: ['EMPORIUM SELECTION', 'WESTACRE DAIRY'],
  },
  {
    department: 'dairy',
    aisle: 'Yoghurt',
    items: [
      ['Greek Yoghurt', 8, '500g 1kg'],
      ['Vanilla Yoghurt', 7, '1kg'],
      ['Natural Yoghurt', 6.5, '1kg'],
      ['Kids Yoghurt Pouches', 14, '6x70g'],
    ],
    variants: ['', 'Low Fat *', '* Strawberry', '* Mango'],
    brands: ['Chobani', 'Jalna', 'Farmers Union', 'Danone', 'Yoplait'],
    aldi: ['YOGURI', 'BROOKLEA'],
  },
  {
    department: 'dairy',
    aisle: 'Butter & Margarine',
    items: [
      ['Salted Butter', 14, '250g 500g'],
      ['Unsalted Butter', 14, '250g'],
      ['Spreadable Butter', 15, '375g 500g'],
      ['Olive Oil Spread', 9, '500g'],
    ],
    variants: ['', 'Organic *', 'Reduced Fat *'],
    brands: ['Western Star', 'Devondale', 'Lurpak', 'Flora', 'Mainland'],
    aldi: ['PURE VALLEY', 'BROOKLEA'],
  },
  {
    department: 'dairy',
    aisle: 'Eggs',
    items: [
      ['Free Range Eggs', 0.6, '12ea 6ea'],
      ['Cage Free Eggs', 0.5, '12ea'],
      ['Barn Laid Eggs', 0.45, '12ea 18ea'],
    ],
    variants: ['', 'Large *', 'Jumbo *'],
    brands: ['Pace Farm', 'Sunny Queen', 'Manning Valley'],
    aldi: ['LODGE FARMS'],
  },
  {
    department: 'bakery',
    aisle: 'Bread',
    leaf: 'Sliced Bread',
    items: [
      ['White Sandwich Bread', 5, '650g 700g'],
      ['Wholemeal Bread', 6, '700g'],
      ['Multigrain Bread', 7, '750g'],
      ['Sourdough Loaf', 10, '500g'],
      ['Raisin Toast', 9, '520g'],
    ],
    variants: ['', '* Thick Sliced', '* Toast Sliced'],
    brands: ['Tip Top', "Helga's", 'Wonder', "Abbott's Village Bakery", 'B\u00fcrgen'],
    aldi: ['BAKERS LIFE', 'SPECIALLY SELECTED'],
  },
  {
    department: 'bakery',
    aisle: 'Rolls & Wraps',
    items: [
      ['Hot Dog Rolls', 0.5, '6ea'],
      ['Brioche Burger Buns with Sesame Seeds', 0.85, '4ea 6ea'],
      ['Wholemeal Wraps', 0.7, '8ea'],
      ['Plain Wraps', 0.6, '8ea 10ea'],
    ],
    variants: ['', 'Mini *', 'Gluten Free *'],
    brands: ['Mission', 'Tip Top', 'La Tortilleria'],
    aldi: ['BAKERS LIFE', 'BON APPETIT'],
  },
  {
    department: 'bakery',
    aisle: 'Cakes & Muffins',
    items: [
      ['Blueberry Muffins', 1.5, '4ea 6ea'],
      ['Chocolate Mud Cake', 20, '500g'],
      ['Banana Bread', 12, '450g'],
      ['Lamingtons', 1.2, '6ea'],
    ],
    variants: ['', 'Mini *', 'Iced *'],
    brands: ['Sara Lee', 'Cakes from Heaven', 'Woodstock Bakery'],
    aldi: ['THE CAKE STALL'],
  },
  {
    department: 'pantry',
    aisle: 'Pasta, Rice & Grains',
    leaf: 'Pasta',
    items: [
      ['Spaghetti', 4, '500g 1kg'],
      ['Penne Rigate', 4, '500g'],
      ['Fusilli', 4, '500g'],
      ['Lasagne Sheets', 6, '250g 375g'],
      ['Fettuccine', 4.5, '500g'],
    ],
    variants: ['', 'Wholemeal *', 'Gluten Free *', 'Organic *'],
    brands: ['San Remo', 'Barilla', 'Vetta', 'La Molisana', 'Latina'],
    aldi: ['REMANO', 'JUST ORGANIC'],
  },
  {
    department: 'pantry',
    aisle: 'Pasta, Rice & Grains',
    leaf: 'Rice',
    items: [
      ['Long Grain White Rice', 3, '1kg 2kg 5kg'],
      ['Jasmine Rice', 4, '1kg 5kg'],
      ['Basmati Rice', 5, '1kg 2kg'],
      ['Arborio Rice', 6, '1kg'],
      ['Microwave Brown Rice', 10, '250g'],
    ],
    variants: ['', 'Organic *', 'Quick Cook *'],
    brands: ['SunRice', "Ben's Original", 'Tilda'],
    aldi: ['IMPERIAL GRAIN', 'ASIA SPECIALITIES'],
  },
  {
    department: 'pantry',
    aisle: 'Canned Food',
    leaf: 'Canned Tuna',
    items: [
      ['Tuna in Springwater', 28, '95g 185g 425g'],
      ['Tuna in Olive Oil', 30, '95g 185g'],
      ['Tuna Chilli', 30, '95g'],
      ['Pink Salmon', 22, '210g 415g'],
    ],
    variants: ['', 'Chunky *', 'Lemon Pepper *'],
    brands: ['John West', 'Sirena', 'Safcol', 'Greenseas'],
    aldi: ['PORTVIEW', 'OCEAN RISE'],
  },
  {
    department: 'pantry',
    aisle: 'Canned Food',
    leaf: 'Canned Vegetables & Beans',
    items: [
      ['Diced Tomatoes', 3, '400g 800g'],
      ['Chickpeas', 3.5, '400g'],
      ['Red Kidney Beans', 3.5, '420g'],
      ['Corn Kernels', 4.5, '420g'],
      ['Baked Beans in Tomato Sauce', 3.5, '220g 420g'],
    ],
    variants: ['', 'No Added Salt *', 'Organic *'],
    brands: ['Ardmona', 'Edgell', 'Heinz', 'Annalisa', 'SPC'],
    aldi: ['INTERNATIONAL CUISINE', 'WORLD KITCHEN'],
  },
  {
    department: 'pantry',
    aisle: 'Sauces',
    leaf: 'Pasta Sauces',
    items: [
      ['Tomato & Basil Pasta Sauce', 9, '500g 700g'],
      ['Bolognese Pasta Sauce', 9, '500g'],
      ['Tomato Sauce', 6, '500ml 1l'],
      ['Smoky BBQ Sauce', 7, '500ml'],
      ['Sundried Tomato Pesto', 10, '190g'],
    ],
    variants: ['', 'Reduced Salt *', 'Organic *'],
    brands: ['Dolmio', "Leggo's", 'Barilla', 'Rosella', 'Masterfoods'],
    aldi: ['REMANO', "CHEFS' CUPBOARD"],
  },
  {
    department: 'pantry',
    aisle: 'Breakfast',
    leaf: 'Cereal',
    items: [
      ['Wheat Biscuits', 8, '375g 750g 1.2kg'],
      ['Corn Flakes', 9, '380g 725g'],
      ['Rolled Oats', 4, '750g 1kg'],
      ['Toasted Muesli', 11, '500g 750g'],
      ['Honey Nut Clusters', 12, '600g'],
    ],
    variants: ['', 'Fruit & Nut *', 'Low Sugar *', 'Wholegrain *'],
    brands: ['Sanitarium', "Kellogg's", 'Uncle Tobys', "Carman's", 'Freedom Foods'],
    aldi: ['GOLDENVALE', 'HARVEST MORN'],
  },
  {
    department: 'pantry',
    aisle: 'Spreads',
    leaf: 'Jams, Honey & Spreads',
    items: [
      ['Strawberry Jam', 12, '250g 500g'],
      ['Raspberry Jam', 12, '500g'],
      ['Pure Honey', 20, '500g 1kg'],
      ['Smooth Peanut Butter', 12, '375g 750g'],
      ['Crunchy Peanut Butter', 12, '375g'],
      ['Cacao Super Spread', 27, '280g'],
    ],
    variants: ['', 'Organic *', 'No Added Sugar *'],
    brands: ['Bonne Maman', "Cottee's", 'Capilano', 'Bega', 'Sanitarium', "Mayver's"],
    aldi: ['BRAMWELLS', 'BEE NATURAL'],
  },
  {
    department: 'pantry',
    aisle: 'Coffee & Tea',
    leaf: 'Coffee',
    items: [
      ['Instant Coffee', 50, '100g 200g 400g'],
      ['Ground Coffee', 30, '200g 1kg'],
      ['Coffee Beans', 35, '500g 1kg'],
      ['Coffee Capsules', 0.5, '10ea 20ea'],
    ],
    variants: ['', 'Decaf *', '* Intense', '* Smooth'],
    brands: ['Nescaf\u00e9', 'Moccona', 'Vittoria', 'Lavazza', 'Robert Timms'],
    aldi: ['EXPRESSI', 'BARISSIMO'],
  },
  {
    department: 'pantry',
    aisle: 'Coffee & Tea',
    leaf: 'Tea',
    items: [
      ['Black Tea Bags', 0.06, '100ea 200ea'],
      ['Green Tea Bags', 0.12, '50ea'],
      ['Peppermint Tea Bags', 0.14, '25ea'],
      ['Earl Grey Tea Bags', 0.1, '100ea'],
    ],
    variants: ['', 'Organic *', 'Decaf *'],
    brands: ['Lipton', 'Bushells', 'Dilmah', 'Twinings', 'T2'],
    aldi: ['WINDSOR FARM'],
  },
  {
    department: 'pantry',
    aisle: 'Baking',
    items: [
      ['Plain Flour', 1.8, '1kg 2kg'],
      ['Self Raising Flour', 2, '1kg'],
      ['White Sugar', 1.8, '1kg 2kg'],
      ['Brown Sugar', 3, '500g 1kg'],
      ['Cocoa Powder', 22, '200g'],
    ],
    variants: ['', 'Organic *', 'Unbleached *'],
    brands: ['White Wings', 'CSR', 'Lighthouse', 'Bundaberg Sugar'],
    aldi: ['BAKERS LIFE', 'WHITE MILL'],
  },
  {
    department: 'pantry',
    aisle: 'Oils & Vinegars',
    items: [
      ['Extra Virgin Olive Oil', 20, '375ml 750ml 1l'],
      ['Canola Oil', 5, '750ml 2l'],
      ['Balsamic Vinegar', 10, '500ml'],
      ['White Vinegar', 2, '1l 2l'],
    ],
    variants: ['', 'Australian *', 'Organic *'],
    brands: ['Cobram Estate', 'Bertolli', 'Moro', 'Crisco'],
    aldi: ['REMANO', "CHEFS' CUPBOARD"],
  },
  {
    department: 'pantry',
    aisle: 'Herbs & Spices',
    items: [
      ['Ground Cumin', 60, '30g 45g'],
      ['Sweet Paprika', 55, '40g'],
      ['Garlic Granules', 50, '50g'],
      ['Mixed Herbs', 80, '10g 15g'],
      ['Cracked Black Pepper', 70, '45g 100g'],
    ],
    variants: ['', 'Organic *', 'Smoked *'],
    brands: ['Masterfoods', 'Hoyts', "Herbie's", 'Gourmet Garden'],
    aldi: ['STONEMILL'],
  },
  {
    department: 'pantry',
    aisle: 'Soups & Noodles',
    leaf: 'Instant Noodles',
    items: [
      ['Chicken Instant Noodles', 14, '5x70g'],
      ['Beef Instant Noodles', 14, '5x70g'],
      ['Mi Goreng Noodles', 12, '5x80g 10x80g'],
      ['Ramen Cup Noodles', 20, '110g'],
    ],
    variants: ['', 'Spicy *', '* Hot & Spicy'],
    brands: ['Maggi', 'Indomie', 'Nissin', 'Mama'],
    aldi: ['ASIA SPECIALITIES', 'THE SOUP CO.'],
  },
  {
    department: 'snacks',
    aisle: 'Chips',
    leaf: 'Potato Chips',
    items: [
      ['Crinkle Cut Potato Chips', 25, '45g 150g 170g'],
      ['Kettle Cooked Chips', 28, '150g 175g'],
      ['Thin Cut Chips', 25, '175g'],
      ['Stacked Potato Chips', 47, '134g'],
    ],
    variants: ['* Original', '* Salt & Vinegar', '* Chicken', '* Sour Cream & Chives', '* Barbecue', '* Sea Salt'],
    brands: ["Smith's", 'Red Rock Deli', 'Kettle', 'Thins', 'Pringles'],
    aldi: ['SPRINTERS', 'SPECIALLY SELECTED'],
  },
  {
    department: 'snacks',
    aisle: 'Chocolate',
    leaf: 'Chocolate Blocks',
    items: [
      ['Milk Chocolate Block', 25, '180g 190g'],
      ['Dark Chocolate 70% Cocoa Block', 33, '100g'],
      ['Hazelnut Chocolate Block', 27, '180g'],
      ['Caramel Chocolate Block', 27, '180g'],
    ],
    variants: ['', 'Family *', 'Vegan *'],
    brands: ['Cadbury', 'Lindt', "Whittaker's", 'Nestl\u00e9', "Tony's Chocolonely"],
    aldi: ['CHOCEUR', 'MOSER ROTH'],
  },
  {
    department: 'snacks',
    aisle: 'Biscuits & Cookies',
    items: [
      ['Chocolate Chip Cookies', 15, '200g 300g'],
      ['Shortbread Biscuits', 12, '250g'],
      ['Cream Filled Biscuits', 12, '200g 350g'],
      ['Water Crackers', 16, '125g'],
      ['Original Brown Rice Crackers', 15, '100g'],
    ],
    variants: ['', 'Classic *', 'Gluten Free *'],
    brands: ["Arnott's", 'Oreo', 'Byron Bay Cookies', 'Paradise', 'Leda'],
    aldi: ['BELMONT BISCUIT CO.', 'DAMORA'],
  },
  {
    department: 'snacks',
    aisle: 'Confectionery',
    leaf: 'Lollies',
    items: [
      ['Jelly Snakes', 20, '200g 1kg'],
      ['Milk Bottles', 20, '150g'],
      ['Jelly Beans', 15, '190g 1kg'],
      ['Soft Eating Licorice', 13, '300g'],
    ],
    variants: ['', 'Sour *', 'Mini *'],
    brands: ["Allen's", 'The Natural Confectionery Co.', 'Darrell Lea', 'Haribo'],
    aldi: ['CANDY LAND'],
  },
  {
    department: 'frozen',
    aisle: 'Frozen Vegetables',
    items: [
      ['Frozen Mixed Vegetables', 4, '500g 1kg'],
      ['Frozen Garden Peas', 3.5, '500g 1kg'],
      ['Frozen Corn Kernels', 4, '500g'],
      ['Sweet Potato Chips', 7, '750g'],
    ],
    variants: ['', 'Steam Fresh *', 'Organic *'],
    brands: ['Birds Eye', 'McCain', 'Edgell'],
    aldi: ['SEASONS PRIDE'],
  },
  {
    department: 'frozen',
    aisle: 'Ice Cream',
    items: [
      ['Vanilla Ice Cream', 4, '2l 1l'],
      ['Chocolate Ice Cream', 4, '2l'],
      ['Cookies & Cream Ice Cream', 5, '1.1l'],
      ['Ice Cream Sticks', 1.3, '4ea 6ea'],
    ],
    variants: ['', 'Light *', 'Classic *'],
    brands: ['Streets', 'Peters', 'Bulla', 'Connoisseur', "Ben & Jerry's"],
    aldi: ['SPECIALLY SELECTED', 'MONARCH'],
  },
  {
    department: 'frozen',
    aisle: 'Frozen Meals',
    leaf: 'Pizza & Pasta',
    items: [
      ['Supreme Pizza', 15, '375g 500g'],
      ['Margherita Pizza', 14, '360g'],
      ['Meat Lovers Pizza', 15, '400g'],
      ['Beef Lasagne', 12, '375g 1kg'],
      ['Beef Rendang', 20, '350g'],
    ],
    variants: ['', 'Thin & Crispy *', 'Family *'],
    brands: ['Dr. Oetker', 'McCain', 'Lean Cuisine', "Nanna's"],
    aldi: ['CUCINA MATESE', 'HEALTH & VITALITY FIT'],
  },
  {
    department: 'drinks',
    aisle: 'Soft Drinks',
    items: [
      ['Cola Soft Drink', 2.2, '1.25l 2l 10x375ml 24x375ml'],
      ['Lemonade', 1.8, '1.25l 2l'],
      ['Ginger Beer', 3.5, '4x375ml'],
      ['Sparkling Mineral Water', 2, '1.25l 10x375ml'],
    ],
    variants: ['', 'No Sugar *', 'Lime *'],
    brands: ['Coca-Cola', 'Pepsi', 'Schweppes', 'Kirks', 'Bundaberg'],
    aldi: ['SODA SPLASH'],
  },
  {
    department: 'drinks',
    aisle: 'Juice',
    items: [
      ['Orange Juice', 3.5, '2l 3l'],
      ['Apple Juice', 2.8, '2l'],
      ['Tropical Juice', 3, '2l'],
      ['Cold Pressed Orange Juice', 6, '1.5l'],
    ],
    variants: ['', '* No Pulp', '* With Pulp'],
    brands: ['Daily Juice', 'Nudie', 'Golden Circle', 'Berri', "Nippy's"],
    aldi: ['SUNDAY FRESH'],
  },
  {
    department: 'drinks',
    aisle: 'Water',
    items: [
      ['Still Spring Water', 0.9, '600ml 1.5l 24x600ml'],
      ['Sparkling Spring Water', 1.4, '1l 10x250ml'],
    ],
    variants: ['', 'Lemon *'],
    brands: ['Mount Franklin', 'Cool Ridge', 'Frantelle', 'Pump'],
    aldi: ['AQUA SPRING'],
  },
  {
    department: 'liquor',
    aisle: 'Beer',
    items: [
      ['Lager Bottles', 6.2, '6x375ml 24x375ml'],
      ['Pale Ale Bottles', 8.5, '6x330ml 24x330ml'],
      ['Mid Strength Lager Cans', 5.2, '30x375ml'],
    ],
    variants: ['', 'Crisp *', 'Pacific *'],
    brands: ['Victoria Bitter', 'Great Northern', 'Coopers', 'Stone & Wood', 'Carlton'],
    aldi: ['TOP NORTH', 'CUSTOM HOUSE'],
  },
  {
    department: 'liquor',
    aisle: 'Wine',
    leaf: 'Red Wine',
    items: [
      ['Shiraz', 20, '750ml'],
      ['Cabernet Sauvignon', 22, '750ml'],
      ['Pinot Noir', 30, '750ml'],
      ['Merlot', 18, '750ml'],
    ],
    variants: ['', 'Barossa Valley *', 'McLaren Vale *', 'Reserve *'],
    brands: ["Jacob's Creek", 'Penfolds', 'Yellow Tail', 'Wolf Blass', "Lindeman's"],
    aldi: ['BROOKVALE ESTATE'],
  },
  {
    department: 'liquor',
    aisle: 'Wine',
    leaf: 'White Wine',
    items: [
      ['Sauvignon Blanc', 20, '750ml'],
      ['Chardonnay', 20, '750ml'],
      ['Pinot Grigio', 22, '750ml'],
      ['Riesling', 22, '750ml'],
    ],
    variants: ['', 'Marlborough *', 'Margaret River *', 'Reserve *'],
    brands: ["Jacob's Creek", 'Oyster Bay', 'Yellow Tail', 'Wolf Blass', "Lindeman's"],
    aldi: ['BROOKVALE ESTATE'],
  },
  {
    department: 'household',
    aisle: 'Laundry',
    items: [
      ['Laundry Liquid', 7.5, '1l 2l 4l'],
      ['Laundry Powder', 8, '1kg 2kg'],
      ['Fabric Softener', 4, '1l 2l'],
      ['Laundry Capsules', 0.45, '28ea 50ea'],
    ],
    variants: ['', 'Sensitive *', '* Front & Top Loader'],
    brands: ['OMO', 'Cold Power', 'Biozet', 'Dynamo', 'Fluffy'],
    aldi: ['TANDIL'],
  },
  {
    department: 'household',
    aisle: 'Toilet Paper, Tissues & Paper Towels',
    items: [
      ['Toilet Tissue 3 Ply', 0.5, '12ea 24ea'],
      ['Toilet Paper 4 Ply', 0.7, '9ea 18ea'],
      ['Paper Towel', 1.5, '2ea 4ea'],
      ['Facial Tissues', 0.02, '224ea'],
    ],
    variants: ['', 'Recycled *', 'Soft *'],
    brands: ['Quilton', 'Kleenex', 'Sorbent', 'Who Gives A Crap'],
    aldi: ['SOFT DAYS'],
  },
  {
    department: 'household',
    aisle: 'Cleaning',
    leaf: 'Dishwashing',
    items: [
      ['Dishwashing Liquid', 8, '500ml 1l'],
      ['Dishwasher Tablets', 0.4, '30ea 60ea'],
      ['Multipurpose Spray Cleaner', 9, '500ml'],
    ],
    variants: ['', 'Lemon *', 'Eco *'],
    brands: ['Morning Fresh', 'Finish', 'Palmolive', 'Fairy', 'Spray n Wipe'],
    aldi: ['TANDIL', 'POWER FORCE'],
  },
  {
    department: 'health',
    aisle: 'Hair & Body',
    leaf: 'Shampoo & Conditioner',
    items: [
      ['Shampoo', 20, '400ml 900ml'],
      ['Conditioner', 20, '400ml'],
      ['Body Wash', 15, '500ml 1l'],
    ],
    variants: ['', 'Moisturising *', 'Anti Dandruff *', 'Colour Care *'],
    brands: ['Pantene', 'Head & Shoulders', 'Dove', 'Palmolive', 'Herbal Essences'],
    aldi: ['LACURA', 'ESSENTIAL HEALTH'],
  },
  {
    department: 'health',
    aisle: 'Oral Care',
    items: [
      ['Toothpaste', 40, '110g 200g'],
      ['Toothbrush', 4, '1ea 2ea'],
      ['Mouthwash', 15, '500ml 1l'],
    ],
    variants: ['', 'Whitening *', 'Sensitive *'],
    brands: ['Colgate', 'Oral-B', 'Macleans', 'Sensodyne'],
    aldi: ['DENTITEX'],
  },
  {
    department: 'baby',
    aisle: 'Nappies & Wipes',
    items: [
      ['Nappies Crawler', 0.4, '32ea 52ea'],
      ['Nappies Toddler', 0.45, '28ea 48ea'],
      ['Baby Wipes', 0.04, '80ea 240ea'],
    ],
    variants: ['', 'Ultra Dry *', 'Sensitive *'],
    brands: ['Huggies', 'BabyLove', 'Rascals'],
    aldi: ['MAMIA'],
  },
  {
    department: 'baby',
    aisle: 'Baby Food',
    items: [
      ['Apple & Banana Puree Pouch', 25, '120g'],
      ['Baby Rice Cereal', 25, '125g'],
      ['Toddler Milk Drink', 30, '900g'],
    ],
    variants: ['', 'Organic *'],
    brands: ['Heinz', "Rafferty's Garden", "Bellamy's Organic", 'Only Organic'],
    aldi: ['MAMIA'],
  },
  {
    department: 'pets',
    aisle: 'Dog',
    leaf: 'Dog Food',
    items: [
      ['Dry Dog Food Beef', 6, '3kg 8kg'],
      ['Dog Food Chicken Roll', 6, '1kg 1.5kg'],
      ['Dog Treats Beef Strips', 30, '200g'],
    ],
    variants: ['', 'Adult *', 'Puppy *', 'Senior *'],
    brands: ['Pedigree', 'Optimum', 'Supercoat', 'Schmackos'],
    aldi: ['ROMEO'],
  },
  {
    department: 'pets',
    aisle: 'Cat',
    leaf: 'Cat Food',
    items: [
      ['Cat Food Pouches Chicken', 12, '12x85g'],
      ['Dry Cat Food Seafood', 8, '2kg'],
      ['Cat Food Tins Tuna', 10, '400g'],
    ],
    variants: ['', 'Adult *', 'Kitten *', 'Indoor *'],
    brands: ['Whiskas', 'Felix', 'Dine', 'Fancy Feast'],
    aldi: ['CACHET'],
  },
];

/** Extra descriptors used only when the plain combinations of a category run out (large catalogues). */
export const RANGE_WORDS: readonly string[] = [
  'Classic',
  'Premium',
  'Value',
  'Homestyle',
  'Gourmet',
  'Traditional',
  'Signature',
  'Everyday',
  'Deluxe',
  'Select',
  'Heritage',
  'Farmhouse',
  'Artisan',
  'Country',
];

/** The category path as the company names it, root first (2 or 3 levels). */
export function categoryPath(company: SampleCompany, category: CategoryTemplate): string[] {
  const department = DEPARTMENT_NAMES[category.department][company];
  switch (company) {
    case 'aldi':
      return [department, category.aisle];
    case 'iga':
      return ['Grocery', department, andify(category.leaf ?? category.aisle)];
    default:
      return category.leaf === undefined ? [department, category.aisle] : [department, category.aisle, category.leaf];
  }
}

/** IGA writes "And" where the others write "&". */
function andify(text: string): string {
  return text.replace(/ & /g, ' And ');
}
