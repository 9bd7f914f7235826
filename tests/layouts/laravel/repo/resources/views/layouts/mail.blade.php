<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title></title>
    <style>
        body { background: #f2efe9; font-family: Arial, Helvetica, sans-serif; color: #2d2a26; }
        .wrapper { max-width: 580px; margin: 0 auto; background: #ffffff; padding: 26px; }
        .footer { font-size: 12px; color: #857f76; }
    </style>
</head>
<body>
    <div class="wrapper">
        <img src="https://brightwell.example/images/mail/logo-brightwell.png" alt="Brightwell Furniture" width="150">
        @yield('content')
        <p class="footer">Brightwell Furniture Ltd, 7 Temple Gate, Bristol BS1 6PL</p>
    </div>
</body>
</html>
