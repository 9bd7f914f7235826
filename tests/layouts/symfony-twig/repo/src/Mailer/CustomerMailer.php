<?php

namespace App\Mailer;

use App\Entity\Order;
use Symfony\Bridge\Twig\Mime\TemplatedEmail;
use Symfony\Component\Mailer\MailerInterface;
use Symfony\Component\Mime\Address;

final class CustomerMailer
{
    public function __construct(private MailerInterface $mailer)
    {
    }

    public function sendWrongSize(Order $order): void
    {
        $email = (new TemplatedEmail())
            ->from(new Address('orders@pinecrest.example', 'Pinecrest Outfitters'))
            ->to($order->getCustomer()->getEmail())
            ->subject('Sorry: we sent you the wrong size')
            ->htmlTemplate('emails/wrong_size.html.twig')
            ->context(['customer' => $order->getCustomer(), 'order' => $order]);

        $this->mailer->send($email);
    }

    public function sendStockDelay(Order $order): void
    {
        $email = (new TemplatedEmail())
            ->from('donotreply@pinecrest.example')
            ->to($order->getCustomer()->getEmail())
            ->subject('Oops! Your tent is delayed')
            ->htmlTemplate('emails/stock_mixup.html.twig')
            ->context(['customer' => $order->getCustomer(), 'order' => $order]);

        $this->mailer->send($email);
    }
}
